// Grid Academy lessons: while a lesson page is visible, tell the server every 30 s that the
// trainee is still studying; the server measures the time and credits progress and hours.
(function () {
  "use strict";
  var box = document.querySelector(".js-lesson");
  if (!box) { return; }
  var url = box.getAttribute("data-heartbeat-url");
  var token = box.getAttribute("data-csrf");
  var interval = parseInt(box.getAttribute("data-interval") || "30000", 10);
  // A timed lesson's countdown: ticks here each second the page is seen, follows the server's count
  // at each heartbeat, asks the server at zero, and goes with its hint once the lesson is completed.
  var hint = document.querySelector(".js-time-hint");
  var countdown = hint && hint.querySelector(".js-countdown");
  var remaining = countdown ? parseInt(countdown.getAttribute("data-remaining"), 10) : 0;
  function show() {
    var seconds = remaining % 60;
    countdown.textContent = Math.floor(remaining / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
  }
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
          if (hint) { hint.remove(); hint = null; }
        } else if (countdown) {
          remaining = Math.max(0, parseInt(countdown.getAttribute("data-required"), 10) - s.seconds);
          show();
        }
      })
      .catch(function () { /* offline for a moment: the next beat counts the time since the last one */ });
  }
  beat(true);  // opening the page starts the clock; time counts from here
  if (countdown) {
    window.setInterval(function () {
      if (!hint || document.visibilityState !== "visible" || remaining <= 0) { return; }
      remaining -= 1;
      show();
      if (remaining === 0) { beat(); }  // the server credits the lesson now, not at the next beat
    }, 1000);
  }
  window.setInterval(beat, interval);
  // Back from another tab or app: restart the clock so the time away is not counted.
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { beat(true); } });
})();
