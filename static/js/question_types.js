// Grid Academy question form: show only the answer fields of the chosen question type. Without this
// script every type's fields show, each labelled with the type it belongs to.
(function () {
  "use strict";
  var form = document.querySelector(".js-question-form");
  if (!form) { return; }
  var select = form.querySelector(".js-question-type");
  function show() {
    form.querySelectorAll(".js-for-type").forEach(function (el) {
      var on = el.getAttribute("data-types").split(" ").indexOf(select.value) >= 0;
      var box = el.matches("input, textarea, select") ? el.closest(".mb-3") || el : el;
      box.hidden = !on;
    });
    form.querySelectorAll(".js-no-script").forEach(function (el) { el.hidden = true; });
  }
  select.addEventListener("change", show);
  show();
}());
