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
     opened once is read and listened to with no signal. */
"use strict";

var CACHE = "nutag-pages-v1";
var FONTS = "nutag-fonts-v1";
var STUDY = "nutag-study-v1";
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

self.addEventListener("fetch", function (event) {
  if (isPage(event.request)) event.respondWith(networkFirst(event));
  else if (isFont(event.request)) event.respondWith(cacheFirst(event.request));
  else if (event.request.method === "GET" && event.request.destination === "audio")
    event.respondWith(keptAudio(event.request));
});

function keptAudio(request) {
  return caches.open(STUDY).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

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
