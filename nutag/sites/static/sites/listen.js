// "Listen" on an article page: play the article's audio version if it has one, else read
// the article aloud with the browser's own voice. The button stays hidden when neither works
// (the <audio> player, if any, still works without this script).
(function () {
  "use strict";
  var button = document.getElementById("listen");
  var article = document.getElementById("article");
  if (!button || !article) return;
  var audio = document.getElementById("listen-audio");
  var synth = window.speechSynthesis;
  if (!audio && !(synth && window.SpeechSynthesisUtterance)) return;
  var label = button.textContent;
  var playing = false;

  function show(on) {
    playing = on;
    button.textContent = on ? button.getAttribute("data-stop") : label;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function chunks(text) {
    // Short utterances: some engines stop a long one after a few seconds.
    var parts = text.replace(/\s+/g, " ").match(/[^。！？!?；;.\n]+[。！？!?；;.]?/g) || [];
    var out = [];
    var current = "";
    parts.forEach(function (part) {
      if ((current + part).length > 160 && current) {
        out.push(current);
        current = "";
      }
      current += part;
    });
    if (current.trim()) out.push(current);
    return out;
  }

  function speak() {
    var lang = button.getAttribute("data-lang") || "zh-CN";
    var list = chunks(article.innerText || article.textContent || "");
    synth.cancel();
    list.forEach(function (text, i) {
      var u = new SpeechSynthesisUtterance(text);
      u.lang = lang;
      u.rate = 0.9;
      if (i === list.length - 1) {
        u.onend = function () { show(false); };
      }
      u.onerror = function () { show(false); };
      synth.speak(u);
    });
    show(list.length > 0);
  }

  if (audio) {
    audio.addEventListener("play", function () { show(true); });
    audio.addEventListener("pause", function () { show(false); });
    audio.addEventListener("ended", function () { show(false); });
  }

  button.addEventListener("click", function () {
    if (audio) {
      if (audio.paused) audio.play(); else audio.pause();
      return;
    }
    if (playing) {
      synth.cancel();
      show(false);
    } else {
      speak();
    }
  });
  window.addEventListener("pagehide", function () { if (synth) synth.cancel(); });
  button.hidden = false;
})();
