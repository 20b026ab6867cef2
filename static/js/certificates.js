// A certificate's page: share the verification link with the phone's own share sheet where there is
// one (navigator.share), else copy it to the clipboard. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  document.querySelectorAll(".js-share").forEach(function (box) {
    var url = box.getAttribute("data-url");
    var status = box.querySelector(".js-share-status");
    var share = box.querySelector(".js-share-button");
    var copy = box.querySelector(".js-copy-button");
    function say(text) { status.textContent = text; }
    function fallbackCopy() {
      // Older browsers and plain-http sites have no navigator.clipboard: select a hidden field and copy.
      var field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(field);
      say(box.getAttribute(done ? "data-copied" : "data-failed"));
    }
    function copyLink() {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { say(box.getAttribute("data-copied")); }, fallbackCopy);
      } else {
        fallbackCopy();
      }
    }
    if (navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({title: box.getAttribute("data-title"), url: url}).catch(function (error) {
          if (!error || error.name !== "AbortError") { copyLink(); }
        });
      });
    }
    copy.hidden = false;
    copy.addEventListener("click", copyLink);
  });
})();
