// Grid Academy, cases: the worker's report form on a phone. No inline scripts (CSP).
// - Where: the phone's position is asked for and shown as a place (grid, area, address) by
//   GET data-place-url; the coordinates travel in hidden fields, the worker corrects grid and address.
// - Photos: each is resized here (longest side 1600 px, JPEG 0.8) so five fit any request limit,
//   with previews and removal; a file the browser cannot draw is sent as it is (the server checks it).
// - The draft: every change is kept on the phone (static/js/drafts.js); "send" queues it and sends it
//   now when online, later when not. Without this script the form posts as a plain form.
(function () {
  "use strict";
  // Run on the form as the page opens, and again when a sent draft's answer replaced the page's content.
  window.AcademyReportForm = function () {
    var form = document.querySelector("form.js-case-report");
    if (!form || !window.AcademyDrafts) { return; }
    var Drafts = window.AcademyDrafts;
    var owner = form.getAttribute("data-owner");
    var MAX_PHOTOS = parseInt(form.getAttribute("data-max-photos"), 10) || 5;
    var LONGEST = 1600, QUALITY = 0.8, THUMB = 240;
    var input = form.querySelector("input[type=file]");
    var previews = form.querySelector(".js-previews");
    var counter = form.querySelector(".js-photo-count");
    var placeBox = form.querySelector(".js-place");
    var button = form.querySelector("button[type=submit]");
    var photos = [];          // {name, type, blob, thumb}
    var working = Promise.resolve();
    var fresh = form.getAttribute("data-fresh") === "1";
    function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }

    // ---- photos ---------------------------------------------------------------------------------
    function decode(file) {
      if (window.createImageBitmap) { return window.createImageBitmap(file); }
      return new Promise(function (resolve, reject) {
        var reader = new FileReader();
        reader.onload = function () {
          var img = new Image();
          img.onload = function () { resolve(img); };
          img.onerror = reject;
          img.src = reader.result;
        };
        reader.onerror = reject;
        reader.readAsDataURL(file);
      });
    }

    function draw(image, longest) {
      var scale = Math.min(1, longest / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(image.width * scale));
      canvas.height = Math.max(1, Math.round(image.height * scale));
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return canvas;
    }

    function resize(file) {
      var base = (file.name || "photo").replace(/\.[^.]*$/, "");
      return decode(file).then(function (image) {
        var thumb = draw(image, THUMB).toDataURL("image/jpeg", 0.7);
        return new Promise(function (resolve) {
          draw(image, LONGEST).toBlob(function (blob) {
            resolve(blob ? { name: base + ".jpg", type: "image/jpeg", blob: blob, thumb: thumb }
                         : { name: file.name, type: file.type, blob: file, thumb: thumb });
          }, "image/jpeg", QUALITY);
        });
      }, function () {
        return { name: file.name || "photo", type: file.type, blob: file, thumb: "" };  // the server decides
      });
    }

    function renderPhotos() {
      previews.textContent = "";
      photos.forEach(function (photo, index) {
        var item = document.createElement("li");
        item.className = "report-photo";
        item.setAttribute("data-testid", "preview");
        if (photo.thumb) {
          var img = document.createElement("img");
          img.src = photo.thumb;
          img.alt = photo.name;
          item.appendChild(img);
        } else {
          var name = document.createElement("span");
          name.className = "report-photo-name";
          name.textContent = photo.name;
          item.appendChild(name);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-light report-photo-remove";
        remove.setAttribute("aria-label", msg("remove") + " " + (index + 1));
        remove.setAttribute("data-testid", "remove-photo");
        remove.textContent = "×";
        remove.addEventListener("click", function () { photos.splice(index, 1); renderPhotos(); keep(); });
        item.appendChild(remove);
        previews.appendChild(item);
      });
      counter.textContent = photos.length + " / " + MAX_PHOTOS;
      input.disabled = photos.length >= MAX_PHOTOS;
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      var room = MAX_PHOTOS - photos.length;
      input.value = "";  // the photos live in the list below; choosing again adds to it
      if (files.length > room) { counter.textContent = msg("too-many"); }
      counter.textContent = msg("preparing");
      working = Promise.all(files.slice(0, Math.max(0, room)).map(resize)).then(function (done) {
        photos = photos.concat(done).slice(0, MAX_PHOTOS);
        renderPhotos();
        if (files.length > room) { counter.textContent += " · " + msg("too-many"); }
        keep();
      });
    });

    // ---- where ----------------------------------------------------------------------------------
    function field(name) { return form.querySelector("[name=" + name + "]"); }

    function say(parts) {
      placeBox.textContent = "";
      parts.forEach(function (part) {
        if (!part.text) { return; }
        var line = document.createElement("div");
        line.className = part.cls || "";
        line.textContent = part.text;
        placeBox.appendChild(line);
      });
    }

    function showPlace(answer) {
      if (answer.found) {
        field("grid").value = String(answer.grid_id);
        if (answer.address && !field("location").value) { field("location").value = answer.address; }
      }
      say([{ text: answer.found ? answer.grid + " · " + answer.area : "", cls: "fw-semibold" },
           { text: answer.address, cls: "" }, { text: answer.message, cls: "small text-muted" }]);
      keep();
    }

    function lookUp(lat, lon) {
      var url = form.getAttribute("data-place-url") + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(showPlace, function () { say([{ text: msg("no-place"), cls: "small text-muted" }]); });
    }

    function locate() {
      say([{ text: msg("locating"), cls: "small text-muted" }]);
      navigator.geolocation.getCurrentPosition(function (pos) {
        field("latitude").value = pos.coords.latitude.toFixed(6);
        field("longitude").value = pos.coords.longitude.toFixed(6);
        keep();
        if (navigator.onLine) { lookUp(field("latitude").value, field("longitude").value); }
        else { say([{ text: msg("no-place"), cls: "small text-muted" }]); }
      }, function () {
        say([{ text: msg("no-position"), cls: "small text-muted" }]);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }

    var locateButton = form.querySelector(".js-locate");
    if (locateButton && navigator.geolocation) {
      locateButton.classList.remove("d-none");
      locateButton.addEventListener("click", locate);
    }

    // ---- the draft ------------------------------------------------------------------------------
    function collect(state) {
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && name !== "csrf_token") { fields.push([name, value]); }
      });
      return { url: form.action || window.location.href, state: state, fields: fields, photos: photos.slice() };
    }

    // Kept 300 ms after the last change; every caller's promise settles, even when a later change
    // takes its place or "send" cancels it (the send stores the draft itself).
    // While the draft is on its way this form keeps nothing: a late change must not bring back, as a new
    // draft, the one the server has just filed. A send that fails lets it keep changes again (a queued
    // draft stays queued with them); an answer that files nothing starts the form again.
    var timer = null, pending = null, settle = null, saving = Promise.resolve(), stopped = false;
    function save() {
      saving = Drafts.get(owner).then(function (old) {
        if (stopped) { return; }
        return Drafts.put(owner, collect(old ? old.state : "editing"));  // a queued draft stays queued
      });
      return saving;
    }
    function settleNow() { var done = settle; pending = settle = null; if (done) { done(); } }
    document.addEventListener("academy-draft-sending", function () { stopped = true; window.clearTimeout(timer); settleNow(); });
    document.addEventListener("academy-draft-waiting", function () { stopped = false; });  // not sent: keep changes again
    function keep() {
      if (stopped) { return Promise.resolve(); }
      window.clearTimeout(timer);
      if (!pending) { pending = new Promise(function (resolve) { settle = resolve; }); }
      var mine = pending;
      timer = window.setTimeout(function () { save().then(settleNow, settleNow); }, 300);
      return mine;
    }

    function restore(draft) {
      if (fresh) {
        draft.fields.forEach(function (pair) {
          var el = form.querySelector("[name=" + pair[0] + "]");
          if (!el) { return; }
          if (el.type === "checkbox") { el.checked = pair[1] === el.value || pair[1] === "y"; } else { el.value = pair[1]; }
        });
      }
      photos = (draft.photos || []).slice(0, MAX_PHOTOS);
      renderPhotos();
      var lost = document.querySelector(".js-photos-lost");  // the phone kept them: no need to add them again
      if (lost && photos.length) { lost.hidden = true; }
    }

    form.addEventListener("input", keep);
    form.addEventListener("change", function (event) { if (event.target !== input) { keep(); } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) { return; }
      button.disabled = true;  // a second tap on "send" must not send twice
      window.clearTimeout(timer);
      settleNow();
      Promise.all([working, saving.catch(function () {})]).then(function () {
        var draft = collect("queued");
        return Drafts.put(owner, draft).then(function () {
          if (!navigator.onLine) { Drafts.show("queued"); button.disabled = false; return; }
          return Drafts.send(owner, draft).then(function (result) { if (result === "offline") { button.disabled = false; } });
        });
      }).catch(plainSubmit);
    });

    // No IndexedDB (a private window): the resized photos go back into the file field, the form posts as it is.
    function plainSubmit() {
      try {
        var files = new DataTransfer();
        photos.forEach(function (p) { files.items.add(new File([p.blob], p.name, { type: p.type || p.blob.type })); });
        input.disabled = false;
        input.files = files.files;
      } catch (error) { /* an old browser: the photos chosen are sent as chosen */ }
      form.submit();
    }

    renderPhotos();
    Drafts.get(owner).then(function (draft) { if (draft) { restore(draft); } }).catch(function () {}).then(function () {
      var lat = field("latitude").value, lon = field("longitude").value;
      if (lat && lon && navigator.onLine) { lookUp(lat, lon); return; }
      // Asked before and allowed: the place is looked up as the form opens, no tap needed.
      if (fresh && locateButton && navigator.permissions && navigator.geolocation) {
        navigator.permissions.query({ name: "geolocation" }).then(function (status) {
          if (status.state === "granted") { locate(); }
        }, function () {});
      }
    });
  };
  window.AcademyReportForm();
})();
