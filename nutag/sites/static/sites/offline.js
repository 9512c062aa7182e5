/* Offline reading (sites/_offline.html): registers the service worker (/sw.js) where the
   browser has one; an offline copy reloads itself once the site answers again (a HEAD
   request when the browser says it is online, retried a few times). No framework. */
(function () {
  var n = navigator;
  if ("serviceWorker" in n) {
    var register = function () { n.serviceWorker.register("/sw.js").catch(function () {}); };
    if (document.readyState === "complete") { register(); } else { addEventListener("load", register); }
  }
  function watch() {
    if (!document.querySelector(".offline-banner:not([hidden])")) return;
    var tries = 0;
    function probe() {
      fetch(location.href, { method: "HEAD", cache: "no-store" })
        .then(function (r) { if (!r.ok) throw r; location.reload(); })
        .catch(function () { if (++tries < 6) setTimeout(probe, 2000 * tries); });
    }
    addEventListener("online", function () { tries = 0; probe(); });
    if (n.onLine) setTimeout(probe, 3000);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();
