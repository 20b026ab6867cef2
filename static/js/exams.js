// Grid Academy exam page: the server's clock, autosave (every 20 s, on every change of question,
// shortly after a choice), ordered saves with a per-attempt sequence number, "saved at hh:mm:ss" or
// "not saved — retrying", and resume after a reload (answers not yet saved wait in localStorage).
// The navigator marks each question answered / unanswered / flagged (flags are saved with the answers);
// the hand-in asks first and names the unanswered and flagged questions; warnings at 5 and 1 minutes
// left; a link out of the page asks first. The server stays the authority: a second hand-in is a no-op.
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
  var flagKey = "exam-" + attemptId + "-flags";
  var flagsDirty = false;
  var warned = 0;  // the warning shown last: 300 or 60 seconds left
  var handingIn = false;
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
  function remember() {
    store(pendingKey, JSON.stringify(dirty));
    store(flagKey, flagsDirty ? JSON.stringify(flaggedIds()) : "");
  }
  function markDirty(section) { dirty[section.getAttribute("data-item")] = readAnswer(section); remember(); mark(); }

  // ---- the navigator: answered, unanswered, flagged ----
  function isAnswered(section) {
    var value = readAnswer(section);
    if (Array.isArray(value)) { return value.some(function (v) { return String(v).trim() !== ""; }); }
    return String(value || "").trim() !== "";
  }
  function flagOf(section) { return section.querySelector(".js-flag"); }
  function isFlagged(section) { return flagOf(section).getAttribute("data-flagged") === "1"; }
  function flaggedIds() {
    return questions.filter(isFlagged).map(function (q) { return q.getAttribute("data-item"); });
  }
  function setFlag(section, on) {
    var button = flagOf(section);
    button.setAttribute("data-flagged", on ? "1" : "0");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("is-flagged", on);
    button.querySelector(".js-flag-icon").className = "bi " + (on ? "bi-flag-fill" : "bi-flag") + " js-flag-icon";
    button.querySelector(".js-flag-text").textContent = label(on ? "unflag" : "flag");
  }
  function mark() {
    box.querySelectorAll(".js-goto").forEach(function (b, n) {
      var answered = isAnswered(questions[n]), flagged = isFlagged(questions[n]);
      b.classList.toggle("is-answered", answered);
      b.classList.toggle("is-flagged", flagged);
      b.setAttribute("data-state", (answered ? "answered" : "unanswered") + (flagged ? " flagged" : ""));
      var words = [label("question").replace("{n}", n + 1), label(answered ? "answered" : "unanswered")];
      if (flagged) { words.push(label("flagged")); }
      b.setAttribute("aria-label", words.join(", "));
    });
  }

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
    if (!keys.length && !flagsDirty) { return Promise.resolve(true); }
    if (inflight) { return inflight; }
    var sent = {};
    keys.forEach(function (k) { sent[k] = dirty[k]; });
    var payload = {seq: seq + 1, answers: sent};
    var sentFlags = flagsDirty ? flaggedIds() : null;
    if (sentFlags) { payload.flagged = sentFlags; }
    seq += 1;
    setStatus(label("saving"), false);
    inflight = fetch(saveUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return {code: r.status, body: body}; });
    }).then(function (res) {
      inflight = false;
      applyServer(res.body);
      if (res.code === 409 || res.body.status === "closed") { closeExam(res.body.message); return false; }
      if (res.code !== 200) { throw new Error("save failed " + res.code); }
      if (res.body.status === "stale") { return save(); }  // another tab saved later: resend with a newer number
      keys.forEach(function (k) { if (JSON.stringify(dirty[k]) === JSON.stringify(sent[k])) { delete dirty[k]; } });
      if (sentFlags && JSON.stringify(sentFlags) === JSON.stringify(flaggedIds())) { flagsDirty = false; }
      remember();
      retryDelay = 3000;
      setStatus(label("saved").replace("{time}", clock(new Date(res.body.saved_at || Date.now()))), false);
      return (Object.keys(dirty).length || flagsDirty) ? save() : true;
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
      b.classList.toggle("is-current", n === current);
      if (n === current) { b.setAttribute("aria-current", "step"); } else { b.removeAttribute("aria-current"); }
    });
    store(placeKey, String(current));
  }
  function go(index) { save(); show(index); }

  function warn(left) {
    var level = left <= 60 ? 60 : (left <= 300 ? 300 : 0);
    timerEl.classList.toggle("text-danger", level > 0);
    if (!level || level === warned || left === 0) { return; }
    warned = level;
    var el = box.querySelector(".js-time-warning");
    el.hidden = false;  // shown first, then filled: the live region announces the words it receives
    el.classList.toggle("alert-danger", level === 60);
    el.classList.toggle("alert-warning", level !== 60);
    el.textContent = label(level === 60 ? "warn1" : "warn5");
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    timerEl.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    warn(left);
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
  box.querySelectorAll(".js-flag").forEach(function (button) {
    button.addEventListener("click", function () {
      var section = button.closest(".js-question");
      setFlag(section, !isFlagged(section));
      flagsDirty = true;
      remember();
      mark();
      save();
    });
  });

  // ---- hand-in: ask first, naming what is unanswered and flagged; each number jumps to its question ----
  var dialog = box.querySelector(".js-handin");
  var form = box.querySelector(".js-submit-form");
  function listNumbers(wrapper, numbers) {
    var list = wrapper.querySelector(".js-handin-list");
    list.textContent = "";
    numbers.forEach(function (n) {
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = "#question-" + n;
      link.className = "exam-handin-link";
      link.textContent = String(n);
      link.setAttribute("aria-label", label("question").replace("{n}", n));
      link.addEventListener("click", function (event) { event.preventDefault(); dialog.close("cancel"); go(n - 1); });
      li.appendChild(link);
      list.appendChild(li);
    });
    wrapper.hidden = !numbers.length;
  }
  function askHandIn() {
    var unanswered = [], flagged = [];
    questions.forEach(function (q, n) {
      if (!isAnswered(q)) { unanswered.push(n + 1); }
      if (isFlagged(q)) { flagged.push(n + 1); }
    });
    var text = unanswered.length ? label("some-unanswered").replace("{k}", unanswered.length) : label("all-answered");
    box.querySelector(".js-handin-body").textContent = text.replace("{n}", questions.length);
    listNumbers(box.querySelector(".js-handin-unanswered"), unanswered);
    listNumbers(box.querySelector(".js-handin-flagged"), flagged);
    dialog.showModal();
  }
  box.querySelector(".js-handin-cancel").addEventListener("click", function () { dialog.close("cancel"); });
  box.querySelector(".js-handin-ok").addEventListener("click", function () {
    var ok = box.querySelector(".js-handin-ok");
    ok.disabled = true;  // one hand-in at a time; the server closes an attempt once whatever arrives
    save().then(function (saved) {
      ok.disabled = false;
      if (!saved || navigator.onLine === false) {  // nothing is handed in before every answer reached the server
        if (!closed) { box.querySelector(".js-handin-body").textContent = label("handin-failed"); }
        return;
      }
      handingIn = true;
      store(pendingKey, "{}");
      store(flagKey, "");
      dialog.close("ok");
      form.submit();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!closed && !handingIn) { askHandIn(); }
  });
  // A link or a form out of the page (the log-out) asks first: the time keeps running. The language
  // switch comes back to this page, so it does not ask.
  function askToLeave(event) {
    save();
    if (!window.confirm(label("leave"))) { event.preventDefault(); }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || box.contains(link) || closed || handingIn || link.getAttribute("href").charAt(0) === "#") { return; }
    askToLeave(event);
  });
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (box.contains(other) || closed || handingIn || other.classList.contains("language-form")) { return; }
    askToLeave(event);
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
  var pendingFlags = load(flagKey);  // flags changed but not saved before the reload
  if (pendingFlags) {
    try {
      var ids = JSON.parse(pendingFlags) || [];
      questions.forEach(function (q) { setFlag(q, ids.indexOf(q.getAttribute("data-item")) >= 0); });
      flagsDirty = true;
    } catch (e) { /* unreadable: the saved flags stand */ }
  }
  mark();
  show(parseInt(load(placeKey) || "0", 10) || 0);
  fetch(stateUrl, {credentials: "same-origin", cache: "no-store"})
    .then(function (r) { return r.json(); })
    .then(function (body) { applyServer(body); if (body.state && body.state !== "in_progress") { closeExam(); } })
    .catch(function () { /* offline on load: the page's own figures stand */ });
  save();
  window.setInterval(tick, 1000);
  window.setInterval(function () {
    if (Object.keys(dirty).length || flagsDirty) { save(); return; }
    fetch(stateUrl, {credentials: "same-origin", cache: "no-store"}).then(function (r) { return r.json(); })
      .then(applyServer).catch(function () { /* next time */ });
  }, interval);
  tick();
})();
