// "Listen", at the top of an article: play the article's recorded version if it has one, else
// read the title, summary and body (not the meta line) with the phone's own voice, in short
// utterances split at Chinese and Mongolian (᠃) stops, with progress and pause / continue.
// A phone with no voice for the language says so. Hidden when neither can work.
(function () {
  "use strict";
  var button = document.getElementById("listen");
  var article = document.getElementById("article");
  if (!button || !article) return;
  var state = document.getElementById("listen-state");
  var audio = document.getElementById("listen-audio");
  var synth = window.speechSynthesis;
  if (!audio && !(synth && window.SpeechSynthesisUtterance)) return;
  var lang = button.getAttribute("data-lang") || "zh-CN";
  var label = button.textContent;
  var list = [];
  var at = 0;
  var speaking = false;

  function say(text) {
    if (state) state.textContent = text;
  }
  function set(text, on) {
    button.textContent = text;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function voice() {
    var want = lang.toLowerCase().split("-")[0];
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === want) return voices[i];
    }
    return null;
  }
  function text() {
    var parts = article.querySelectorAll("h1, .summary, .body");
    var out = [];
    for (var i = 0; i < parts.length; i++) out.push(parts[i].innerText || parts[i].textContent);
    return out.join("\n");
  }
  function chunks(all) {
    // Short utterances: some phone engines stop a long one after a few seconds.
    var parts = all.replace(/\s+/g, " ").match(/[^。！？!?；;.᠃᠉]+[。！？!?；;.᠃᠉]?/g) || [];
    var out = [];
    var current = "";
    parts.forEach(function (part) {
      if ((current + part).length > 120 && current) {
        out.push(current);
        current = "";
      }
      current += part;
    });
    if (current.trim()) out.push(current);
    return out;
  }
  function next() {
    if (at >= list.length) {
      at = 0;
      stop();
      say("");
      return;
    }
    var u = new SpeechSynthesisUtterance(list[at]);
    u.lang = lang;
    u.rate = 0.9;
    u.voice = voice();
    u.onend = u.onerror = function () {
      if (!speaking) return;
      at += 1;
      next();
    };
    say(at + 1 + " / " + list.length);
    synth.speak(u);
  }
  function stop() {
    speaking = false;
    synth.cancel();
    set(at ? button.getAttribute("data-resume") : label, false);
  }
  function start(waited) {
    if (!synth.getVoices().length && !waited) {
      setTimeout(function () { start(true); }, 800); // the voices load late on some phones
      return;
    }
    if (!voice()) {
      say(button.getAttribute("data-novoice"));
      return;
    }
    if (!at) list = chunks(text());
    speaking = true;
    set(button.getAttribute("data-pause"), true);
    synth.cancel();
    next();
  }

  if (audio) {
    audio.addEventListener("play", function () { set(button.getAttribute("data-pause"), true); });
    audio.addEventListener("pause", function () { set(label, false); });
  }
  button.addEventListener("click", function () {
    if (audio) {
      if (audio.paused) audio.play(); else audio.pause();
    } else if (speaking) {
      stop();
    } else {
      start(false);
    }
  });
  window.addEventListener("pagehide", function () { if (synth) synth.cancel(); });
  button.hidden = false;
})();
