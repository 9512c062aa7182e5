/* Small enhancements that used to be inline handlers (the Content-Security-Policy allows no
   inline script; nutag/core/security.py). Each works from data attributes; without script
   the page still works.
   - <button data-print>: prints the page.
   - <details class="wide-open">: open on wide screens (48em and up).
   Included by the templates that need it; safe to include more than once. */
(function () {
  if (window.nutagEnhance) return;
  window.nutagEnhance = true;
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[data-print]");
    if (t) { e.preventDefault(); window.print(); }
  });
  function open() {
    if (window.matchMedia && matchMedia("(min-width:48em)").matches) {
      document.querySelectorAll("details.wide-open").forEach(function (d) { d.open = true; });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", open); } else { open(); }
})();
