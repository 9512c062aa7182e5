// "Listen" (see docs/architecture.md): recorded audio, else the phone's voice in short
// utterances with progress and pause, else the server's reading (data-speech), else say why.
(function () {
  "use strict";
  var button = document.getElementById("listen");
  var article = document.getElementById("article");
  if (!button || !article) return;
  var state = document.getElementById("listen-state");
  var audio = document.getElementById("listen-audio");
  var synth = window.speechSynthesis;
  var served = attr("speech"), player = null;
  if (!(synth && window.SpeechSynthesisUtterance)) synth = null;
  if (!audio && !served && !synth) return;
  var lang = button.getAttribute("data-lang") || "zh-CN";
  var label = button.textContent;
  var list = [], at = 0, speaking = false;

  function attr(n) {
    return button.getAttribute("data-" + n);
  }
  function say(text) {
    if (state) state.textContent = text;
  }
  function set(text, on) {
    button.textContent = text;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function voice() {
    var want = lang.toLowerCase().split("-")[0], voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === want) return voices[i];
    }
    return null;
  }
  function text() {
    var parts = article.querySelectorAll("h1, .summary, .body"), out = [];
    for (var i = 0; i < parts.length; i++) out.push(parts[i].innerText || parts[i].textContent);
    return out.join("\n");
  }
  function chunks(all) {
    var parts = all.replace(/\s+/g, " ").match(/[^。！？!?；;.᠃᠉]+[。！？!?；;.᠃᠉]?/g) || [];
    var out = [], current = "";
    parts.forEach(function (part) {
      if ((current + part).length > 120 && current) { out.push(current); current = ""; }
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
    set(at ? attr("resume") : label, false);
  }
  function time(s) {
    s = Math.floor(s || 0);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function serve() {
    if (!player) {
      player = new Audio(served);
      var on = player.addEventListener.bind(player);
      on("play", function () { set(attr("pause"), true); });
      on("pause", function () { set(attr("resume"), false); });
      on("ended", function () { set(label, false); say(""); });
      on("timeupdate", function () {
        var d = player.duration;
        say(attr("machine") + " " + time(player.currentTime) + (isFinite(d) ? " / " + time(d) : ""));
      });
    }
    say(attr("machine"));
    player.play();
  }
  function start(waited) {
    if (!synth) { serve(); return; }
    if (!synth.getVoices().length && !waited) {
      setTimeout(function () { start(true); }, 800);
      return;
    }
    if (!voice()) {
      if (served) serve(); else say(attr("novoice"));
      return;
    }
    if (!at) list = chunks(text());
    speaking = true;
    set(attr("pause"), true);
    synth.cancel();
    next();
  }

  if (audio) {
    audio.addEventListener("play", function () { set(attr("pause"), true); });
    audio.addEventListener("pause", function () { set(label, false); });
  }
  button.addEventListener("click", function () {
    if (audio) {
      if (audio.paused) audio.play(); else audio.pause();
    } else if (player) {
      if (player.paused) player.play(); else player.pause();
    } else if (speaking) {
      stop();
    } else {
      start(false);
    }
  });
  window.addEventListener("pagehide", function () { if (synth) synth.cancel(); });
  button.hidden = false;
})();
