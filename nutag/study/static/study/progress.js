/* Lesson progress: time spent while the page is visible, and reaching the end (scrolled to
   the bottom or the audio finished). Each update carries its own id, so the server counts a
   resent or replayed update once. No inline script (CSP).
   ONE queue at a time: while the service worker (nutag/sites/static/sites/sw.js) controls the
   page, updates are simply posted and the worker keeps those that cannot go (no signal) in
   its IndexedDB queue and sends them later (Background Sync, or the next page opened); the
   page keeps nothing. Only where no worker controls the page (an old browser, the first
   visit) do updates wait in localStorage, sent again when the phone is back online. */
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
  var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  function flush() {
    if (worker) worker.postMessage("nutag-flush");
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
    var item = { id: id(), url: url, csrf: csrf, seconds: whole, end: ended };
    if (worker) {
      // the worker answers 202 and keeps the update itself when it cannot go now
      post(item).catch(function () { /* the worker was replaced: the server counts it once */ });
      return;
    }
    var q = load();
    q.push(item);
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
  flush(); // what an earlier page left (before a worker controlled it), and the worker's queue
  setInterval(function () { send(false); }, 30000);
  send(true);
})();

/* Offline: keep the lesson's files in the service worker's "nutag-study-v1" cache the first
   time the lesson is opened with a signal: its audio (same-origin or CORS-enabled), its PDF
   and the pictures shown in it (same-origin only; the picture variant the phone chose). The
   worker (nutag/sites/static/sites/sw.js) serves them from there when there is no signal. The
   page itself is kept by the worker like other pages read (a member's lesson page is
   "private, no-cache", not "no-store"). At most MAX_FILES files are kept, oldest dropped. */
(function () {
  "use strict";
  var MAX_FILES = 40;
  var el = document.getElementById("lesson");
  if (!el || !window.caches || !navigator.onLine) return;

  function keep(cache, href) {
    return cache.match(href).then(function (hit) {
      return hit ? null : cache.add(href).catch(function () { /* no CORS, or gone */ });
    });
  }
  function trim(cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_FILES)).map(function (k) {
        return cache.delete(k);
      }));
    });
  }
  function files() {
    var found = [];
    var audio = el.querySelector("audio[src]");
    if (audio) found.push(new URL(audio.getAttribute("src"), location.href).href);
    el.querySelectorAll("a[data-lesson-pdf], img").forEach(function (node) {
      var href = node.tagName === "A" ? node.href : node.currentSrc || node.src;
      if (href && new URL(href, location.href).origin === location.origin) found.push(href);
    });
    return found;
  }
  function keepAll() {
    caches.open("nutag-study-v1").then(function (cache) {
      return files().reduce(function (chain, href) {
        return chain.then(function () { return keep(cache, href); });
      }, Promise.resolve()).then(function () { return trim(cache); });
    }).catch(function () { /* storage full or refused: the lesson is simply not kept */ });
  }
  // after load, so that each picture's chosen variant (currentSrc) is known
  if (document.readyState === "complete") keepAll();
  else window.addEventListener("load", keepAll);
})();
