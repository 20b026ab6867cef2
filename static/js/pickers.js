// Grid Academy: search-as-you-type pickers and the area tree (UX.md "Pickers instead of typed codes").
//
// A form field marked data-picker="area|worker|grid|course|exam" stays the field the server reads
// and validates; this script hides it behind a combobox (WAI-ARIA 1.2: a text box with a listbox
// popup, arrow keys move, Enter picks, Escape closes) that searches the kind's JSON endpoint and puts
// the picked record's code (or its id, data-picker-value="id") into the field. What is typed without
// picking goes to the field as it is, so a code typed by hand still works. Without JavaScript the
// field is the plain text box it always was. Area pickers also get a "Browse" button that opens the
// area tree one level at a time.
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = JSON.parse(script.getAttribute("data-urls") || "{}");
  var words = JSON.parse(script.getAttribute("data-words") || "{}");
  var DEBOUNCE = 250;
  var serial = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function ask(url, params) {
    var query = Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
    return fetch(url + "?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (body) { return body.results || []; });
  }

  function Picker(field) {
    var kind = field.getAttribute("data-picker");
    this.url = urls[kind];
    this.key = field.getAttribute("data-picker-value") || "code";
    this.field = field;
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.build(kind);
  }

  Picker.prototype.build = function (kind) {
    var self = this, field = this.field, n = ++serial;
    var box = el("div", {"class": "picker", "data-testid": "picker-" + kind});
    var input = el("input", {type: "text", role: "combobox", autocomplete: "off", "aria-autocomplete": "list",
                             "aria-expanded": "false", "aria-controls": "picker-list-" + n,
                             placeholder: field.getAttribute("placeholder") || words["placeholder_" + kind] || "",
                             "class": field.className});
    if (!field.labels || !field.labels.length) {  // a filter labelled by its placeholder alone
      input.setAttribute("aria-label", field.getAttribute("aria-label") || field.getAttribute("placeholder") || words.tree);
    }
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (field.hasAttribute(name)) { input.setAttribute(name, field.getAttribute(name)); }
    });
    if (field.id) { input.id = field.id; field.id = field.id + "-value"; }  // the <label for> now names the box
    var list = el("ul", {id: "picker-list-" + n, role: "listbox", "class": "picker-list", hidden: ""});
    if (field.labels && field.labels[0]) { list.setAttribute("aria-label", field.labels[0].textContent.trim()); }
    var status = el("div", {"class": "visually-hidden", role: "status", "aria-live": "polite"});
    field.parentNode.insertBefore(box, field);
    field.type = "hidden";
    var row = el("div", {"class": "picker-row"});
    row.appendChild(input);
    box.appendChild(row);
    box.appendChild(field);
    box.appendChild(list);
    box.appendChild(status);
    this.input = input; this.list = list; this.status = status; this.box = box;
    if (kind === "area") { this.tree = new AreaTree(this, row); }
    input.value = field.value;
    if (field.value) { this.showName(field.value); }
    input.addEventListener("input", function () { self.typed(); });
    input.addEventListener("keydown", function (event) { self.key_(event); });
    input.addEventListener("blur", function () { window.setTimeout(function () { self.close(); }, 150); });
  };

  Picker.prototype.showName = function (value) {
    var self = this, params = {};
    params[this.key === "id" ? "id" : "code"] = value;
    ask(this.url, params).then(function (results) {
      if (results.length && self.input.value === value) {
        self.input.value = results[0].label;
        self.input.title = results[0].detail;
        // the list's filter chip (static/js/lists.js) says the name too, not the code
        self.field.dispatchEvent(new CustomEvent("picker:named", {detail: {label: results[0].label}}));
      }
    }).catch(function () { /* keep the value as typed */ });
  };

  Picker.prototype.typed = function () {
    var self = this, text = this.input.value.trim();
    this.field.value = text;  // typed, not picked: the server checks it as it always did
    this.input.removeAttribute("title");
    window.clearTimeout(this.timer);
    if (!text) { this.close(); return; }
    this.timer = window.setTimeout(function () {
      ask(self.url, {q: text}).then(function (results) {
        if (self.input.value.trim() === text) { self.show(results); }
      }).catch(function () { self.say(words.failed); });
    }, DEBOUNCE);
  };

  Picker.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.list.textContent = "";
    this.input.removeAttribute("aria-activedescendant");
    results.forEach(function (item, i) {
      var option = el("li", {role: "option", id: self.list.id + "-" + i, "aria-selected": "false", "class": "picker-option"});
      option.appendChild(el("span", {"class": "picker-label"}, item.label));
      if (item.detail) { option.appendChild(el("span", {"class": "picker-detail"}, item.detail)); }
      option.addEventListener("mousedown", function (event) { event.preventDefault(); self.pick(item); });
      self.list.appendChild(option);
    });
    if (!results.length) {
      this.list.appendChild(el("li", {"class": "picker-empty", "aria-disabled": "true"}, words.none));
    }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.say(results.length ? words.count.replace("%(n)s", results.length) : words.none);
  };

  Picker.prototype.say = function (text) { this.status.textContent = text || ""; };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.move = function (step) {
    if (this.list.hidden || !this.results.length) { return; }
    var options = this.list.querySelectorAll("[role=option]");
    if (this.active >= 0) { options[this.active].setAttribute("aria-selected", "false"); }
    this.active = (this.active + step + options.length) % options.length;
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({block: "nearest"});
    this.input.setAttribute("aria-activedescendant", option.id);
  };

  Picker.prototype.key_ = function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (this.list.hidden) { this.typed(); } else { this.move(1); } }
    else if (event.key === "ArrowUp") { event.preventDefault(); this.move(-1); }
    else if (event.key === "Enter" && !this.list.hidden && this.active >= 0) {
      event.preventDefault();
      this.pick(this.results[this.active]);
    } else if (event.key === "Escape" && !this.list.hidden) { event.preventDefault(); this.close(); }
  };

  Picker.prototype.pick = function (item) {
    this.field.value = item[this.key];
    this.input.value = item.label;
    this.input.title = item.detail || "";
    this.close();
    this.say(words.picked.replace("%(name)s", item.label));
    this.field.dispatchEvent(new Event("change", {bubbles: true}));
  };

  // The area tree: a panel listing one level (the tops of the caller's areas first); each area can
  // be picked, or opened to list its streets or communities. Plain buttons, so keys and readers work.
  function AreaTree(picker, row) {
    var self = this, n = serial;
    this.picker = picker;
    this.toggle = el("button", {type: "button", "class": "btn btn-outline-secondary picker-browse",
                                "aria-expanded": "false", "aria-controls": "picker-tree-" + n}, words.browse);
    this.panel = el("div", {id: "picker-tree-" + n, "class": "picker-tree", role: "group",
                            "aria-label": words.tree, hidden: ""});
    row.appendChild(this.toggle);
    picker.box.appendChild(this.panel);
    this.toggle.addEventListener("click", function () { if (self.panel.hidden) { self.open([]); } else { self.shut(); } });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { self.shut(); self.toggle.focus(); }
    });
  }

  AreaTree.prototype.open = function (path) {
    var self = this, params = path.length ? {parent: path[path.length - 1].code} : {};
    this.toggle.setAttribute("aria-expanded", "true");
    this.panel.hidden = false;
    ask(this.picker.url, params).then(function (areas) { self.draw(path, areas); })
      .catch(function () { self.panel.textContent = words.failed; });
  };

  AreaTree.prototype.shut = function () {
    this.panel.hidden = true;
    this.toggle.setAttribute("aria-expanded", "false");
  };

  AreaTree.prototype.draw = function (path, areas) {
    var self = this;
    this.panel.textContent = "";
    var trail = el("nav", {"class": "picker-trail", "aria-label": words.tree});
    var top = el("button", {type: "button", "class": "btn btn-link btn-sm"}, words.top);
    top.addEventListener("click", function () { self.open([]); });
    trail.appendChild(top);
    path.forEach(function (area, i) {
      var step = el("button", {type: "button", "class": "btn btn-link btn-sm"}, area.label);
      step.addEventListener("click", function () { self.open(path.slice(0, i + 1)); });
      trail.appendChild(el("span", {"aria-hidden": "true"}, "›"));
      trail.appendChild(step);
    });
    this.panel.appendChild(trail);
    var list = el("ul", {"class": "picker-tree-list"});
    areas.forEach(function (area) {
      var item = el("li", {"class": "picker-tree-item"});
      var choose = el("button", {type: "button", "class": "btn btn-light picker-tree-pick", "data-code": area.code,
                                 "aria-label": words.choose.replace("%(name)s", area.detail)});
      choose.appendChild(el("span", {}, area.label));
      choose.appendChild(el("span", {"class": "picker-detail"}, area.level));
      choose.addEventListener("click", function () {
        self.picker.pick(area);
        self.shut();
        self.picker.input.focus();
      });
      item.appendChild(choose);
      if (area.has_children) {
        var open = el("button", {type: "button", "class": "btn btn-outline-secondary picker-tree-open",
                                 "aria-label": words.open.replace("%(name)s", area.label)}, "›");
        open.addEventListener("click", function () { self.open(path.concat([area])); });
        item.appendChild(open);
      }
      list.appendChild(item);
    });
    if (!areas.length) { list.appendChild(el("li", {"class": "picker-empty"}, words.none)); }
    this.panel.appendChild(list);
    var first = list.querySelector("button");
    if (first) { first.focus(); }
  };

  document.querySelectorAll("input[data-picker]").forEach(function (field) {
    if (urls[field.getAttribute("data-picker")]) { new Picker(field); }
  });
})();
