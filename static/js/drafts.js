// Grid Academy, cases: the report kept on the phone (IndexedDB) while the network is down, and sent
// when it returns. One draft per user of the phone: its text fields, its resized photos (Blobs), the
// form's URL and its submission key. The key makes the server file it once however often it arrives
// (a request sent but whose answer was lost is sent again and answered with the case filed before).
// States: "editing" (typed, not sent), "queued" (the worker pressed send: goes out when online),
// "held" (the server answered without filing: errors or similar cases; the worker looks again).
// Loaded by the report form, "my cases" and the patrol page (templates/cases/_draft_status.html).
(function () {
  "use strict";
  var DB_NAME = "academy-drafts";
  var STORE = "reports";
  var sending = false;

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function key(owner) { return "report:" + owner; }
  function get(owner) { return withStore("readonly", function (s) { return s.get(key(owner)); }).then(function (d) { return d || null; }); }
  function put(owner, draft) { draft.saved_at = Date.now(); return withStore("readwrite", function (s) { s.put(draft, key(owner)); }); }
  function remove(owner) { return withStore("readwrite", function (s) { s.delete(key(owner)); }); }

  // The status line: what became of the draft, in the page's words (data-msg-* of the box).
  function box() { return document.querySelector(".js-draft-status"); }
  function show(state) {
    var el = box();
    if (!el) { return; }
    if (!state) { el.classList.add("d-none"); el.classList.remove("d-flex"); return; }
    el.querySelector(".js-draft-text").textContent = el.getAttribute("data-msg-" + state) || "";
    el.classList.remove("d-none");
    el.classList.add("d-flex");
    el.classList.toggle("alert-warning", state !== "sending");
    el.classList.toggle("alert-info", state === "sending");
    var open = el.querySelector(".js-draft-open");
    if (open) { open.classList.toggle("d-none", !!document.querySelector("form.js-case-report")); }
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function formData(draft) {
    var data = new FormData();
    draft.fields.forEach(function (pair) { if (pair[0] !== "csrf_token") { data.append(pair[0], pair[1]); } });
    data.append("csrf_token", csrfToken());
    (draft.photos || []).forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
    return data;
  }

  // The server did not file it (what to correct, similar cases, a refusal): on the report form its
  // answer replaces the page's content and the form starts again on it; elsewhere the status says so.
  function showAnswer(text) {
    var main = document.querySelector("main");
    if (!main || !document.querySelector("form.js-case-report")) { show("held"); return; }
    var answer = new DOMParser().parseFromString(text, "text/html");
    var content = answer.querySelector("main") || answer.body;
    main.innerHTML = content.innerHTML;
    if (answer.title) { document.title = answer.title; }
    window.scrollTo(0, 0);
    bindDiscard();
    show("held");
    if (window.AcademyReportForm) { window.AcademyReportForm(); }
  }

  // Send the draft once; resolves to "filed", "held", "away" or "offline".
  function send(owner, draft) {
    if (sending) { return Promise.resolve("busy"); }
    sending = true;
    show("sending");
    document.dispatchEvent(new CustomEvent("academy-draft-sending"));  // the form stops keeping its changes
    var request = { method: "POST", body: formData(draft), credentials: "same-origin", headers: { "X-Academy-Draft": "1" } };
    return fetch(draft.url, request).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          return remove(owner).then(function () { window.location.assign(answer.url); return "filed"; });
        });
      }
      if (response.redirected) { window.location.assign(response.url); return "away"; }  // e.g. logged out: kept
      return response.text().then(function (text) {
        draft.state = "held";
        return put(owner, draft).then(function () { sending = false; showAnswer(text); return "held"; });
      });
    }, function () {
      sending = false;
      document.dispatchEvent(new CustomEvent("academy-draft-waiting"));
      show(navigator.onLine ? "failed" : "queued");
      return "offline";
    });
  }

  function sendQueued() {
    var el = box();
    if (!el || sending) { return Promise.resolve(null); }
    var owner = el.getAttribute("data-owner");
    return get(owner).then(function (draft) {
      if (!draft) { show(null); return null; }
      if (draft.state !== "queued") { show(draft.state); return draft.state; }
      if (!navigator.onLine) { show("queued"); return "offline"; }
      return send(owner, draft);
    }).catch(function () { return null; });
  }

  function bindDiscard() {
    var el = box();
    var button = el && el.querySelector(".js-draft-discard");
    if (!button) { return; }
    button.addEventListener("click", function () {
      if (!window.confirm(button.getAttribute("data-confirm") || "")) { return; }
      remove(el.getAttribute("data-owner")).then(function () { window.location.reload(); });
    });
  }

  window.AcademyDrafts = { get: get, put: put, remove: remove, send: send, show: show, sendQueued: sendQueued };
  window.addEventListener("online", sendQueued);
  window.addEventListener("offline", function () {
    var el = box();
    if (el) { get(el.getAttribute("data-owner")).then(function (d) { if (d && d.state === "queued") { show("queued"); } }); }
  });
  bindDiscard();
  sendQueued();
})();
