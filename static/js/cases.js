// Grid Academy, cases: the worker's report form on a phone. No inline scripts (CSP).
(function () {
  "use strict";
  var form = document.querySelector("form.js-case-report");
  if (!form) { return; }
  var MAX_PHOTOS = 5;
  var input = form.querySelector("input[type=file]");
  var counter = form.querySelector(".js-photo-count");
  if (input && counter) {
    input.addEventListener("change", function () {
      var n = input.files.length;
      counter.textContent = n + " / " + MAX_PHOTOS;
      counter.classList.toggle("text-danger", n > MAX_PHOTOS);
    });
  }
  // Fill the coordinates from the phone's position when the browser offers it.
  var locate = form.querySelector(".js-locate");
  if (locate && navigator.geolocation) {
    locate.classList.remove("d-none");
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
      });
    });
  }
  // A second tap on "send" must not send the form twice.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
})();
