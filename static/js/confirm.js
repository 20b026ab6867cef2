// Grid Academy: one confirmation dialog for what cannot be undone or touches many (UX.md, principle 4).
//
// A submit button marked data-confirm-title (templates/_confirm.html's confirm_button macro) opens a
// <dialog> that names the object and the consequence before its form is sent. For a bulk action,
// data-confirm-preview names a GET endpoint: the form's fields go to it and the dialog shows the
// message it answers, with the count the server computed ("为 214 名网格员报名"); the confirm button
// waits for it. data-confirm-if="field=value" asks only when the form's field has that value (the
// status form asks before an exit, not before every change). Cancel (or Escape) sends nothing. Confirming a
// bulk action adds confirmed=1 to its form; without JavaScript the form posts without it and the server
// answers its own confirmation page with the same count (academy/web/previews.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var words = JSON.parse(script.getAttribute("data-words") || "{}");
  var dialog, title, body, count, ok, cancel, pending = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.setAttribute("aria-describedby", "confirm-body");
    dialog.setAttribute("data-testid", "confirm-dialog");
    dialog.innerHTML = '<h2 id="confirm-title" class="h5"></h2><p id="confirm-body"></p>' +
      '<p class="confirm-count fw-semibold" data-testid="confirm-count" hidden></p>' +
      '<div class="confirm-actions"><button type="button" class="btn btn-outline-secondary" data-testid="confirm-cancel"></button>' +
      '<button type="button" class="btn" data-testid="confirm-ok"></button></div>';
    document.body.appendChild(dialog);
    title = dialog.querySelector("h2");
    body = dialog.querySelector("#confirm-body");
    count = dialog.querySelector(".confirm-count");
    cancel = dialog.querySelector("[data-testid=confirm-cancel]");
    ok = dialog.querySelector("[data-testid=confirm-ok]");
    cancel.textContent = words.cancel;
    cancel.addEventListener("click", function () { dialog.close("cancel"); });
    ok.addEventListener("click", function () { dialog.close("ok"); });
    dialog.addEventListener("close", function () {
      var button = pending;
      pending = null;
      if (!button) { return; }
      if (dialog.returnValue === "ok") {
        button.setAttribute("data-confirmed", "1");
        if (button.hasAttribute("data-confirm-preview")) { markConfirmed(button.form); }
        if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
      } else {
        button.focus();
      }
    });
  }

  // The server asks again (a confirmation page) for a bulk action posted without confirmed=1.
  function markConfirmed(form) {
    var field = form.querySelector("input[name=confirmed]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirmed";
      form.appendChild(field);
    }
    field.value = "1";
  }

  function preview(button) {
    var form = button.form, params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") { params.append(name, value); }
    });
    count.hidden = false;
    count.textContent = words.counting;
    ok.disabled = true;
    fetch(button.getAttribute("data-confirm-preview") + "?" + params.toString(),
          {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json().then(function (answer) { return {ok: r.ok, answer: answer}; }); })
      .then(function (result) {
        if (pending !== button) { return; }
        count.textContent = result.answer.message;
        ok.disabled = !result.ok || !result.answer.allowed;
      })
      .catch(function () { if (pending === button) { count.textContent = words.failed; } });
  }

  function ask(button) {
    if (!dialog) { build(); }
    pending = button;
    dialog.returnValue = "";
    title.textContent = button.getAttribute("data-confirm-title");
    body.textContent = button.getAttribute("data-confirm-body") || "";
    ok.textContent = button.getAttribute("data-confirm-ok") || button.textContent.trim();
    ok.className = "btn " + (button.hasAttribute("data-confirm-danger") ? "btn-danger" : "btn-primary");
    ok.disabled = false;
    count.hidden = true;
    if (button.hasAttribute("data-confirm-preview")) { preview(button); }
    dialog.showModal();
    cancel.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm-title]");
    if (!button || !button.form || typeof HTMLDialogElement !== "function") { return; }
    if (button.getAttribute("data-confirmed") === "1") { button.removeAttribute("data-confirmed"); return; }
    var when = button.getAttribute("data-confirm-if");  // "field=value": ask only for that choice
    if (when) {
      var parts = when.split("="), chosen = button.form.elements[parts[0]];
      if (!chosen || chosen.value !== parts[1]) { return; }
    }
    event.preventDefault();
    ask(button);
  });
})();
