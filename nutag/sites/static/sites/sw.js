/* Nutag service worker (served at /sw.js by nutag/sites/views/offline.py).

   The unit homes and the last pages read open with no signal:
   - network first for pages under / and /u/ (navigations only; everything else is left
     to the browser). The network copy is always asked for (no HTTP-cache shortcut), so an
     offline page is always announced as such;
   - a page that loads (200, HTML, not no-store: logged-in pages are never kept) is kept:
     the last MAX_HOMES unit homes and the last MAX_PAGES other pages, oldest dropped first.
     A page that is gone (404, 410) is dropped. Nothing is precached;
   - with no network (or a server error) the kept copy is shown, marked as an offline copy:
     the page's own hidden, translated banner (sites/_offline.html) is moved to the top of
     the body and shown, and the response carries "X-Nutag-Offline: 1". The page's inline
     script reloads it when the network is back;
   - the Mongolian web font (/static/core/fonts/*.woff2, only asked for by mn-mong pages) is
     kept once loaded and served from here afterwards (cache first): it is downloaded once;
   - a lesson's audio that the lesson page put in the "nutag-study-v1" cache
     (nutag/study/static/study/progress.js) is played from there (cache first), so a lesson
     opened once is read and listened to with no signal; so are its pictures and its PDF
     (same-origin only, put there by the same page script), all cache first: a kept PDF is
     never fetched again (no cost on a paid connection, and no dependence on how the phone
     reports a lost signal). Its link carries the stored file's version (?v=), so a
     replaced PDF has a new address and is fetched anew;
   - lesson progress (POST /u/<code>/study/lessons/<pk>/progress) that cannot reach the server
     (no signal, or a server error) is kept here, in IndexedDB ("nutag-sw", store
     "progress"), and the page is answered 202 {"queued": true}: the page keeps no queue of
     its own while this worker controls it. The queue is replayed, oldest first, on the
     Background Sync event (tag "nutag-progress") where the browser has it, and otherwise on
     the next page fetched, a message from a page ("nutag-flush": sent on load and when the
     phone is back online) and the worker's start. Each update carries the phone's own id
     and the server counts an id once, so a replay that overlaps another never counts twice.
     An update the server refuses (4xx: logged out, CSRF, no longer a reader) is dropped. */
"use strict";

var CACHE = "nutag-pages-v1";
var FONTS = "nutag-fonts-v1";
var STUDY = "nutag-study-v1";
var PROGRESS = /^\/u\/[^/]+\/study\/lessons\/\d+\/progress$/;
var LESSON_PDF = /^\/u\/[^/]+\/study\/lessons\/\d+\/pdf$/;
var QUEUE_DB = "nutag-sw";
var QUEUE_STORE = "progress";
var SYNC_TAG = "nutag-progress";
var FONT = /^\/static\/core\/fonts\/[^/]+\.woff2$/;
var MAX_HOMES = 5;
var MAX_PAGES = 20;
var HOME = /^\/(u\/[^/]+\/)?$/;
var BANNER = /<div class="offline-banner" data-nutag-offline hidden>([\s\S]*?)<\/div>/;
// Used only for a kept page that lacks the banner: "offline copy" in Chinese and English.
var FALLBACK_BANNER = "\u79bb\u7ebf\u526f\u672c / Offline copy";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return (
                (name.indexOf("nutag-pages-") === 0 && name !== CACHE) ||
                (name.indexOf("nutag-fonts-") === 0 && name !== FONTS)
              );
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function isPage(request) {
  if (request.method !== "GET" || request.mode !== "navigate") return false;
  var url = new URL(request.url);
  return (
    url.origin === self.location.origin &&
    (url.pathname === "/" || url.pathname.indexOf("/u/") === 0)
  );
}

function isFont(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  return url.origin === self.location.origin && FONT.test(url.pathname);
}

function sameOrigin(request, pattern) {
  var url = new URL(request.url);
  return url.origin === self.location.origin && pattern.test(url.pathname);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method === "POST" && sameOrigin(request, PROGRESS)) {
    event.respondWith(sendProgress(request));
    return;
  }
  if (request.method === "GET" && request.mode === "navigate") event.waitUntil(replay());
  if (isPage(request) && !sameOrigin(request, LESSON_PDF)) event.respondWith(networkFirst(event));
  else if (isFont(request)) event.respondWith(cacheFirst(request));
  else if (
    request.method === "GET" &&
    (sameOrigin(request, LESSON_PDF) ||
      request.destination === "audio" ||
      request.destination === "image")
  )
    event.respondWith(keptStudy(request));
});

function keptStudy(request) {
  return caches.open(STUDY).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

// --- the offline progress queue (IndexedDB) --------------------------------------------

function openQueue() {
  return new Promise(function (resolve, reject) {
    var opening = indexedDB.open(QUEUE_DB, 1);
    opening.onupgradeneeded = function () {
      opening.result.createObjectStore(QUEUE_STORE, { keyPath: "key", autoIncrement: true });
    };
    opening.onsuccess = function () {
      resolve(opening.result);
    };
    opening.onerror = function () {
      reject(opening.error);
    };
  });
}

function inQueue(mode, work) {
  return openQueue().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(QUEUE_STORE, mode);
      var result = work(tx.objectStore(QUEUE_STORE));
      tx.oncomplete = function () {
        db.close();
        resolve(result && "result" in result ? result.result : undefined);
      };
      tx.onerror = tx.onabort = function () {
        db.close();
        reject(tx.error);
      };
    });
  });
}

function enqueue(item) {
  return inQueue("readwrite", function (store) {
    store.add(item);
  }).then(function () {
    if (self.registration.sync) return self.registration.sync.register(SYNC_TAG).catch(noop);
  });
}

function noop() {}

function post(item) {
  return fetch(item.url, {
    method: "POST",
    body: item.body,
    credentials: "same-origin",
    headers: { "Content-Type": item.type, "X-CSRFToken": item.csrf },
  });
}

function sendProgress(request) {
  return request.text().then(function (body) {
    var item = {
      url: request.url,
      body: body,
      type: request.headers.get("Content-Type") || "application/x-www-form-urlencoded",
      csrf: request.headers.get("X-CSRFToken") || "",
    };
    var queued = function () {
      return enqueue(item).then(function () {
        return new Response('{"queued": true}', {
          status: 202,
          headers: { "Content-Type": "application/json" },
        });
      });
    };
    return post(item).then(function (response) {
      return response.status >= 500 ? queued() : response;
    }, queued);
  });
}

var replaying = null;

// Sends the kept updates one by one, oldest first; stops at the first that cannot go yet.
// One replay at a time in this worker (a second call joins the running one). Resolves to
// true when nothing waits any more.
function replay() {
  if (replaying) return replaying;
  replaying = inQueue("readonly", function (store) {
    return store.getAll();
  })
    .then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return post(item).then(function (response) {
            if (response.status >= 500) throw new Error("retry later");
            return inQueue("readwrite", function (store) {
              store.delete(item.key);
            });
          });
        });
      }, Promise.resolve());
    })
    .then(
      function () {
        return true;
      },
      function () {
        return false;
      }
    )
    .then(function (done) {
      replaying = null;
      return done;
    });
  return replaying;
}

self.addEventListener("sync", function (event) {
  // Rejected while updates still wait, so that the browser tries again later.
  if (event.tag === SYNC_TAG)
    event.waitUntil(
      replay().then(function (done) {
        if (!done) throw new Error("progress still waiting");
      })
    );
});

self.addEventListener("message", function (event) {
  if (event.data === "nutag-flush") event.waitUntil(replay());
});

replay();

function cacheFirst(request) {
  return caches.open(FONTS).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

function networkFirst(event) {
  var request = event.request;
  return fetch(request, { cache: "no-cache" }).then(
    function (response) {
      if (keepable(response)) {
        event.waitUntil(keep(request.url, response.clone()));
      } else if (response.status === 404 || response.status === 410) {
        event.waitUntil(forget(request.url));
      } else if (response.status >= 500) {
        return offlineCopy(request.url).then(function (copy) {
          return copy || response;
        });
      }
      return response;
    },
    function (error) {
      return offlineCopy(request.url).then(function (copy) {
        if (copy) return copy;
        throw error;
      });
    }
  );
}

function keepable(response) {
  return (
    response.status === 200 &&
    response.type === "basic" &&
    /text\/html/i.test(response.headers.get("Content-Type") || "") &&
    !/no-store/i.test(response.headers.get("Cache-Control") || "")
  );
}

function keep(url, response) {
  return caches.open(CACHE).then(function (cache) {
    // put() replaces an older copy and appends: the key order is the reading order.
    return cache.put(url, response).then(function () {
      return trim(cache);
    });
  });
}

function forget(url) {
  return caches.open(CACHE).then(function (cache) {
    return cache.delete(url, { ignoreVary: true });
  });
}

function trim(cache) {
  return cache.keys().then(function (requests) {
    var homes = [];
    var pages = [];
    requests.forEach(function (request) {
      (HOME.test(new URL(request.url).pathname) ? homes : pages).push(request);
    });
    var old = homes
      .slice(0, Math.max(0, homes.length - MAX_HOMES))
      .concat(pages.slice(0, Math.max(0, pages.length - MAX_PAGES)));
    return Promise.all(
      old.map(function (request) {
        return cache.delete(request);
      })
    );
  });
}

function offlineCopy(url) {
  return caches
    .open(CACHE)
    .then(function (cache) {
      return cache.match(url, { ignoreVary: true }).then(function (hit) {
        return hit || cache.match(url, { ignoreVary: true, ignoreSearch: true });
      });
    })
    .then(function (hit) {
      if (!hit) return null;
      return hit.text().then(function (html) {
        var headers = new Headers(hit.headers);
        ["Content-Length", "Content-Encoding", "ETag", "Set-Cookie"].forEach(function (name) {
          headers.delete(name);
        });
        headers.set("X-Nutag-Offline", "1");
        return new Response(markOffline(html), {
          status: 200,
          statusText: "OK",
          headers: headers,
        });
      });
    });
}

function markOffline(html) {
  var text = FALLBACK_BANNER;
  var found = html.match(BANNER);
  if (found) {
    html = html.replace(found[0], "");
    text = found[1];
  }
  var banner = '<div class="offline-banner" data-nutag-offline role="status">' + text + "</div>";
  var body = /<body[^>]*>/i;
  if (!body.test(html)) return banner + html;
  return html.replace(body, function (tag) {
    return tag + banner;
  });
}
