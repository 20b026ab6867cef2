// Grid Academy lists (UX.md "Lists"): tables that become cards on phones, filters behind one button
// with the active ones as removable chips. Without this script the tables scroll sideways in their
// .table-responsive wrapper and the filter form stays open: nothing is lost.
(function () {
  "use strict";
  var COLON = /^zh/i.test(document.documentElement.lang) ? "：" : ": ";
  var NUMBER = /^[-+−]?[\d\s,.]+\s*(%|‰)?$/;

  function cellText(cell) { return (cell.textContent || "").replace(/\s+/g, " ").trim(); }

  // The header cell above each column, counting colspans.
  function headerTexts(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var texts = [];
    if (!row) { return texts; }
    Array.prototype.forEach.call(row.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) { texts.push(cellText(th)); }
    });
    return texts;
  }

  function cardTable(table) {
    var labels = headerTexts(table);
    var numeric = labels.map(function () { return null; });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        if (row.cells.length === 1 && row.cells[0].colSpan > 1) { row.classList.add("list-empty"); return; }
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          var text = cellText(cell);
          if (text && text !== "—") { numeric[column] = numeric[column] !== false && NUMBER.test(text); }
          column += cell.colSpan || 1;
        });
      });
    });
    // Numbers line up on the right on wide screens: a column all of whose cells are numbers.
    var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(table.rows, function (row) {
      if (row.classList.contains("list-empty")) { return; }
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (numeric[column] === true) { cell.classList.add("list-number"); }
        column += cell.colSpan || 1;
      });
    });
    if (headRow) { headRow.parentNode.classList.add("list-head"); }
    if (table.parentElement && table.parentElement.classList.contains("table-responsive")) {
      table.parentElement.classList.add("list-cards-wrap");
    }
    table.classList.add("list-cards-ready");
  }

  // What a filter field currently asks for, in words: its label and its value (an option's text).
  function fieldLabel(field) {
    var label = field.id && field.form && field.form.querySelector("label[for='" + field.id + "']");
    var text = label ? cellText(label) : (field.getAttribute("aria-label") || field.getAttribute("placeholder") || "");
    return text.replace(/[:：]\s*$/, "");
  }

  function activeFilters(form) {
    var active = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrf_token" || field.name === "page" || field.disabled) { return; }
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) { active.push({field: field, text: fieldLabel(field)}); }
        return;
      }
      if (!field.value) { return; }
      var value = field.value;
      if (field.tagName === "SELECT") {
        var option = field.options[field.selectedIndex];
        if (!option || option.index === 0) { return; }  // the first option is the list unfiltered
        value = cellText(option);
      }
      active.push({field: field, name: fieldLabel(field), text: fieldLabel(field) + COLON + value});
    });
    return active;
  }

  function clearField(field) {
    if (field.type === "checkbox" || field.type === "radio") { field.checked = false; }
    else if (field.tagName === "SELECT") { field.selectedIndex = 0; field.value = field.options.length ? field.options[0].value : ""; }
    else { field.value = ""; }
  }

  function filterPanel(panel) {
    var form = panel.querySelector(".list-filters-body form");
    var toggle = panel.querySelector(".list-filters-toggle");
    var chips = panel.querySelector(".list-filter-chips");
    var count = panel.querySelector(".list-filters-count");
    if (!form) { return; }
    var active = activeFilters(form);
    var removeLabel = chips.getAttribute("data-remove-label") || "";
    active.forEach(function (entry) {
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "btn btn-sm list-chip";
      chip.setAttribute("aria-label", removeLabel + " " + entry.text);
      chip.appendChild(document.createTextNode(entry.text));
      var x = document.createElement("span");
      x.setAttribute("aria-hidden", "true");
      x.className = "list-chip-x";
      x.textContent = "×";
      chip.appendChild(x);
      entry.field.addEventListener("picker:named", function (event) {  // a picker found the code's name
        var text = entry.name + COLON + event.detail.label;
        chip.firstChild.nodeValue = text;
        chip.setAttribute("aria-label", removeLabel + " " + text);
      });
      chip.addEventListener("click", function () {
        clearField(entry.field);
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
      chips.appendChild(chip);
    });
    count.textContent = active.length ? String(active.length) : "";
    toggle.hidden = false;
    var openAtStart = form.querySelector(".is-invalid, .invalid-feedback, .text-danger") !== null;
    function show(open) {
      panel.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () { show(!panel.classList.contains("is-open")); });
    show(openAtStart);
    panel.classList.add("list-filters-ready");
  }

  // A table wider (or, with its sticky header, taller) than its wrapper scrolls there: the wrapper
  // takes the keyboard's focus so it can be scrolled without a mouse, named after the list's heading.
  function scrollRegion(wrap) {
    var table = wrap.querySelector("table");
    var heading = null;
    for (var el = wrap.previousElementSibling; el && !heading; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) { heading = el; } else if (el.querySelector) { heading = el.querySelector("h1, h2, h3, h4, h5, h6"); }
    }
    var name = (table && table.caption && cellText(table.caption)) || (heading && cellText(heading)) || document.title;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", name);
  }

  document.querySelectorAll("table.list-cards").forEach(cardTable);
  document.querySelectorAll(".table-responsive").forEach(scrollRegion);
  document.querySelectorAll(".list-filters").forEach(filterPanel);
})();
