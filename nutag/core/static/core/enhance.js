/* Small enhancements that used to be inline handlers (the Content-Security-Policy allows no
   inline script; nutag/core/security.py). Each works from data attributes; without script
   the page still works.
   - <button data-print>: prints the page.
   - <input type="checkbox" data-show-password="a b">: shows the password boxes a, b of its form.
   - <details class="wide-open">: open on wide screens (48em and up).
   Included by the templates that need it; safe to include more than once. */
(function () {
  if (window.nutagEnhance) return;
  window.nutagEnhance = true;
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[data-print]");
    if (t) { e.preventDefault(); window.print(); }
  });
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("[data-show-password]")) return;
    var form = box.form, type = box.checked ? "text" : "password";
    box.getAttribute("data-show-password").split(" ").forEach(function (name) {
      if (form && form.elements[name]) form.elements[name].type = type;
    });
  });
  function open() {
    if (window.matchMedia && matchMedia("(min-width:48em)").matches) {
      document.querySelectorAll("details.wide-open").forEach(function (d) { d.open = true; });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", open); } else { open(); }
})();
