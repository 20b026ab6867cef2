// Grid Academy question form: upload an image for the stem without leaving the form, and put its
// Markdown into the question text where the cursor is. Without this script the upload form opens
// the image page in a new tab, which shows the Markdown to copy.
(function () {
  "use strict";
  var box = document.querySelector(".js-stem-image");
  if (!box || !window.fetch || !window.FormData) { return; }
  var form = box.querySelector(".js-stem-image-form");
  var target = document.getElementById(box.getAttribute("data-target"));
  var statusEl = box.querySelector(".js-stem-image-status");
  var snippetEl = box.querySelector(".js-stem-image-snippet");
  function label(name) { return box.getAttribute("data-label-" + name) || ""; }
  function say(text, failed) {
    statusEl.textContent = text;
    statusEl.classList.toggle("text-danger", !!failed);
    statusEl.classList.toggle("text-success", !failed);
  }
  function insert(text) {
    if (!target) { return; }
    var start = target.selectionStart, end = target.selectionEnd, value = target.value;
    if (typeof start !== "number") { start = end = value.length; }
    var before = value.slice(0, start), after = value.slice(end);
    var lead = before && !/\n$/.test(before) ? "\n" : "", tail = after && !/^\n/.test(after) ? "\n" : "";
    target.value = before + lead + text + tail + after;
    var caret = (before + lead + text).length;
    target.focus();
    target.setSelectionRange(caret, caret);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    say(label("uploading"), false);
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return {ok: response.ok, body: body};
        });
      })
      .then(function (result) {
        if (!result.ok || !result.body.markdown) {
          say(result.body.error || label("failed"), true);
          return;
        }
        insert(result.body.markdown);
        snippetEl.textContent = result.body.markdown;
        say(label("inserted"), false);
        form.reset();
      })
      .catch(function () { say(label("failed"), true); })
      .then(function () { if (button) { button.disabled = false; } });
  });
})();
