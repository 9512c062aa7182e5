/* Forms the GOV.UK way (no inline script, so a Content-Security-Policy can forbid it):
   - a page that came back with errors moves the focus to the error summary;
   - a link in the summary focuses its field and scrolls its label into view;
   - a "show password" box switches the password inputs it names (data-show-password). */
(function () {
  "use strict";
  if (window.nutagForms) return;
  window.nutagForms = true;

  function labelOf(input) {
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    var set = input.closest && input.closest("fieldset");
    return (set && set.querySelector("legend")) || label || input;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var details = input.closest("details");
    if (details) details.open = true;
    labelOf(input).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-show-password]") || !box.form) return;
    var type = box.checked ? "text" : "password";
    box.getAttribute("data-show-password").split(" ").forEach(function (name) {
      var input = box.form.elements[name];
      if (input) input.type = type;
    });
  });

  // "Share" after publishing: the phone's own share sheet, where it has one
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-share]");
    if (!button || !navigator.share) return;
    navigator.share({ title: button.getAttribute("data-share-title") || "",
                      url: button.getAttribute("data-share") }).catch(function () {});
  });

  function start() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    if (navigator.share) {
      document.querySelectorAll("button[data-share]").forEach(function (b) { b.hidden = false; });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
