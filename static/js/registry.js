// Grid registry: the notice board's print button. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
