// Grid Academy: behaviour shared by every page. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Forms marked js-autosubmit (the language switch) submit when their select changes.
  document.querySelectorAll("form.js-autosubmit select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Buttons with data-confirm ask before their form is sent.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // Job pages poll their status until the job ends, then reload to show the result.
  document.querySelectorAll(".js-job").forEach(function (box) {
    var bar = box.querySelector(".js-job-bar");
    function poll() {
      fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.style.width = s.percent + "%";
          bar.textContent = s.percent + "%";
          if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (!box.querySelector(".alert") && !box.querySelector("a.btn")) { window.setTimeout(poll, 500); }
  });
  // The service worker (academy/web/frame.py) keeps the shell's files and the offline page. Registered
  // after the page has loaded, so it never competes with the page for a slow network.
  var worker = document.body.getAttribute("data-service-worker");
  if (worker && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(worker, {scope: "/"}).catch(function () { /* the site works without it */ });
    });
  }
})();
