// Grid Academy lessons: while a lesson page is visible, tell the server every 30 s that the
// trainee is still studying; the server measures the time and credits progress and hours.
(function () {
  "use strict";
  var box = document.querySelector(".js-lesson");
  if (!box) { return; }
  var url = box.getAttribute("data-heartbeat-url");
  var token = box.getAttribute("data-csrf");
  var interval = parseInt(box.getAttribute("data-interval") || "30000", 10);
  function beat(start) {
    if (document.visibilityState !== "visible") { return; }
    fetch(start === true ? url + "?start=1" : url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        box.querySelector(".js-course-percent").textContent = s.progress_percent;
        box.querySelector(".js-course-hours").textContent = s.hours;
        if (s.completed) {
          box.querySelector(".js-lesson-status").textContent = box.querySelector(".js-done-label").textContent;
        }
      })
      .catch(function () { /* offline for a moment: the next beat counts the time since the last one */ });
  }
  beat(true);  // opening the page starts the clock; time counts from here
  window.setInterval(beat, interval);
  // Back from another tab or app: restart the clock so the time away is not counted.
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { beat(true); } });
})();
