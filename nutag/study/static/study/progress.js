/* Lesson progress: time spent while the page is visible, and reaching the end (scrolled to
   the bottom or the audio finished). Each update carries its own id, so the server counts a
   resent or replayed update once. Updates that cannot be sent (no signal) wait in
   localStorage and go when the phone is back online. No inline script (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("lesson");
  if (!el || !el.dataset.progress || !window.fetch) return;
  var url = el.dataset.progress, csrf = el.dataset.csrf, KEY = "nutag-study-queue";
  var seconds = 0, last = Date.now(), ended = false;

  function id() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(q) {
    try { localStorage.setItem(KEY, JSON.stringify(q.slice(-200))); } catch (e) { /* full */ }
  }
  function post(item) {
    var body = new URLSearchParams({ id: item.id, seconds: String(item.seconds), end: item.end ? "1" : "0" });
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": item.csrf }
    }).then(function (r) {
      if (r.status >= 500) throw new Error("retry");
      return r;
    });
  }
  function flush() {
    var q = load();
    if (!q.length) return;
    var item = q[0];
    post(item).then(function () {
      save(load().filter(function (x) { return x.id !== item.id; }));
      flush();
    }, function () { /* still offline: keep it */ });
  }
  function tick() {
    var now = Date.now();
    if (document.visibilityState === "visible") seconds += Math.min(60, (now - last) / 1000);
    last = now;
  }
  function send(force) {
    tick();
    var whole = Math.floor(seconds);
    if (!whole && !force) return;
    seconds -= whole;
    var q = load();
    q.push({ id: id(), url: url, csrf: csrf, seconds: whole, end: ended });
    save(q);
    flush();
  }
  function reachedEnd() {
    if (ended) return;
    ended = true;
    send(true);
  }
  var end = document.getElementById("lesson-end");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) reachedEnd();
    }).observe(end);
  }
  var audio = el.querySelector("audio");
  if (audio) audio.addEventListener("ended", reachedEnd);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send(false); else last = Date.now();
  });
  window.addEventListener("online", flush);
  setInterval(function () { send(false); }, 30000);
  send(true);
})();
