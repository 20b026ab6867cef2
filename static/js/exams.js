// Grid Academy exam page: the server's clock, autosave (every 20 s, on every change of question,
// shortly after a choice), ordered saves with a per-attempt sequence number, "saved at hh:mm:ss" or
// "not saved — retrying", and resume after a reload (answers not yet saved wait in localStorage).
(function () {
  "use strict";
  var box = document.querySelector(".js-exam");
  if (!box) { return; }
  var attemptId = box.getAttribute("data-attempt");
  var saveUrl = box.getAttribute("data-save-url");
  var stateUrl = box.getAttribute("data-state-url");
  var token = box.getAttribute("data-csrf");
  var interval = parseInt(box.getAttribute("data-interval") || "20000", 10);
  var seq = parseInt(box.getAttribute("data-last-seq") || "0", 10);
  var deadline = Date.now() + parseInt(box.getAttribute("data-remaining") || "0", 10) * 1000;
  var statusEl = box.querySelector(".js-save-status");
  var timerEl = box.querySelector(".js-timer");
  var questions = Array.prototype.slice.call(box.querySelectorAll(".js-question"));
  var pendingKey = "exam-" + attemptId + "-pending";
  var placeKey = "exam-" + attemptId + "-place";
  var dirty = {};
  var inflight = false;
  var retryTimer = null;
  var retryDelay = 3000;
  var closed = false;
  var current = 0;

  function label(name) { return box.getAttribute("data-label-" + name) || ""; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()); }
  function setStatus(text, failed) {
    statusEl.textContent = text;
    statusEl.classList.toggle("text-danger", !!failed);
    statusEl.classList.toggle("text-success", !failed);
  }
  function store(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }

  function readAnswer(section) {
    var type = section.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(section.querySelectorAll("input, textarea"));
    if (type === "single" || type === "true_false" || type === "multiple") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (type === "fill_blank") { return inputs.map(function (i) { return i.value; }); }
    if (type === "matching") {
      return Array.prototype.map.call(section.querySelectorAll("select"), function (s) { return s.value; });
    }
    return inputs.length ? inputs[0].value : "";
  }
  function writeAnswer(section, value) {
    var type = section.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(section.querySelectorAll("input, textarea"));
    if (type === "single" || type === "true_false" || type === "multiple") {
      inputs.forEach(function (i) { i.checked = Array.isArray(value) && value.indexOf(i.value) >= 0; });
    } else if (type === "fill_blank") {
      inputs.forEach(function (i, n) { i.value = (Array.isArray(value) && value[n]) || ""; });
    } else if (type === "matching") {
      Array.prototype.forEach.call(section.querySelectorAll("select"), function (s, n) {
        s.value = (Array.isArray(value) && value[n]) || "";
      });
    } else if (inputs.length) { inputs[0].value = typeof value === "string" ? value : ""; }
  }
  function remember() { store(pendingKey, JSON.stringify(dirty)); }
  function markDirty(section) { dirty[section.getAttribute("data-item")] = readAnswer(section); remember(); }

  function scheduleRetry() {
    if (retryTimer || closed) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; save(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, interval);
  }
  function applyServer(body) {
    if (typeof body.remaining === "number") { deadline = Date.now() + body.remaining * 1000; }
    if (body.csrf_token) {
      token = body.csrf_token;
      var hidden = box.querySelector(".js-submit-form input[name=csrf_token]");
      if (hidden) { hidden.value = token; }
    }
    if (typeof body.last_seq === "number" && body.last_seq > seq) { seq = body.last_seq; }
  }
  function closeExam(message) {
    closed = true;
    setStatus(message || label("closed"), true);
    box.querySelectorAll("input, textarea, select, button").forEach(function (el) { el.disabled = true; });
    window.setTimeout(function () { window.location.reload(); }, 1500);
  }

  // Send what changed since the last acknowledged save; resolves true when nothing is left unsaved.
  function save() {
    if (closed) { return Promise.resolve(false); }
    var keys = Object.keys(dirty);
    if (!keys.length) { return Promise.resolve(true); }
    if (inflight) { return inflight; }
    var sent = {};
    keys.forEach(function (k) { sent[k] = dirty[k]; });
    seq += 1;
    setStatus(label("saving"), false);
    inflight = fetch(saveUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({seq: seq, answers: sent})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return {code: r.status, body: body}; });
    }).then(function (res) {
      inflight = false;
      applyServer(res.body);
      if (res.code === 409 || res.body.status === "closed") { closeExam(res.body.message); return false; }
      if (res.code !== 200) { throw new Error("save failed " + res.code); }
      if (res.body.status === "stale") { return save(); }  // another tab saved later: resend with a newer number
      keys.forEach(function (k) { if (JSON.stringify(dirty[k]) === JSON.stringify(sent[k])) { delete dirty[k]; } });
      remember();
      retryDelay = 3000;
      setStatus(label("saved").replace("{time}", clock(new Date(res.body.saved_at || Date.now()))), false);
      return Object.keys(dirty).length ? save() : true;
    }).catch(function () {
      inflight = false;
      setStatus(label("failed"), true);
      scheduleRetry();
      return false;
    });
    return inflight;
  }

  function show(index) {
    current = Math.max(0, Math.min(questions.length - 1, index));
    questions.forEach(function (q, n) { q.classList.toggle("d-none", n !== current); });
    box.querySelectorAll(".js-goto").forEach(function (b, n) {
      b.classList.toggle("btn-secondary", n === current);
      b.classList.toggle("btn-outline-secondary", n !== current);
    });
    store(placeKey, String(current));
  }
  function go(index) { save(); show(index); }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    timerEl.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    if (left === 0 && !closed) {
      save().then(function () { window.setTimeout(function () { window.location.reload(); }, 2000); });
      closed = true;
    }
  }

  var choiceTimer = null;
  questions.forEach(function (section) {
    section.addEventListener("input", function () { markDirty(section); });
    section.addEventListener("change", function () {
      markDirty(section);
      window.clearTimeout(choiceTimer);
      choiceTimer = window.setTimeout(save, 1500);
    });
  });
  box.querySelectorAll(".js-goto").forEach(function (b) {
    b.addEventListener("click", function () { go(parseInt(b.getAttribute("data-index"), 10)); });
  });
  box.querySelector(".js-prev").addEventListener("click", function () { go(current - 1); });
  box.querySelector(".js-next").addEventListener("click", function () { go(current + 1); });
  box.querySelector(".js-submit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    save().then(function (ok) { if (ok) { store(pendingKey, "{}"); form.submit(); } });
  });
  window.addEventListener("online", function () { retryDelay = 3000; save(); });
  window.addEventListener("pagehide", function () { remember(); });

  // Resume: answers saved before a reload are in the page; answers typed but not saved wait here.
  try { dirty = JSON.parse(load(pendingKey) || "{}") || {}; } catch (e) { dirty = {}; }
  questions.forEach(function (section) {
    var id = section.getAttribute("data-item");
    if (Object.prototype.hasOwnProperty.call(dirty, id)) { writeAnswer(section, dirty[id]); }
  });
  Object.keys(dirty).forEach(function (id) {
    if (!box.querySelector('.js-question[data-item="' + id + '"]')) { delete dirty[id]; }
  });
  show(parseInt(load(placeKey) || "0", 10) || 0);
  fetch(stateUrl, {credentials: "same-origin", cache: "no-store"})
    .then(function (r) { return r.json(); })
    .then(function (body) { applyServer(body); if (body.state && body.state !== "in_progress") { closeExam(); } })
    .catch(function () { /* offline on load: the page's own figures stand */ });
  save();
  window.setInterval(tick, 1000);
  window.setInterval(function () {
    if (Object.keys(dirty).length) { save(); return; }
    fetch(stateUrl, {credentials: "same-origin", cache: "no-store"}).then(function (r) { return r.json(); })
      .then(applyServer).catch(function () { /* next time */ });
  }, interval);
  tick();
})();
