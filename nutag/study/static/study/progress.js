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

/* Offline: keep the lesson's audio (same-origin or CORS-enabled) in the service worker's
   "nutag-study-v1" cache the first time the lesson is opened with a signal; the worker
   (nutag/sites/static/sites/sw.js) plays it from there afterwards. The page itself is kept
   by the worker like other pages read (a member's lesson page is "private, no-cache", not
   "no-store"). At most MAX_AUDIO lessons' audio is kept, the oldest dropped first. */
(function () {
  "use strict";
  var MAX_AUDIO = 10;
  var el = document.getElementById("lesson");
  var audio = el && el.querySelector("audio[src]");
  if (!audio || !window.caches || !navigator.onLine) return;
  var src = new URL(audio.getAttribute("src"), location.href).href;
  caches.open("nutag-study-v1").then(function (cache) {
    return cache.match(src).then(function (hit) {
      if (hit) return null;
      return cache.add(src).then(function () {
        return cache.keys().then(function (keys) {
          return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_AUDIO)).map(function (k) {
            return cache.delete(k);
          }));
        });
      });
    });
  }).catch(function () { /* a cross-origin file without CORS cannot be kept */ });
})();
