/* Record a voice note in the page (concern form). Static file: no inline script (CSP).
 *
 * The box [data-voice-recorder] carries its translated labels as data- attributes and
 * data-input, the selector of the form's file input. When MediaRecorder, getUserMedia or
 * DataTransfer is missing, or no Opus container is supported, the box stays hidden and the
 * file input (accept="audio/*" capture) works as before. A recording is put INTO that file
 * input (DataTransfer), so the server receives it like a chosen file and checks its content
 * the same way. Permission refused: a message, and the file input still works.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-voice-recorder]");
  if (!box) return;
  var input = document.querySelector(box.getAttribute("data-input"));
  var media = navigator.mediaDevices;
  if (!input || !window.MediaRecorder || !media || !media.getUserMedia) return;
  if (typeof DataTransfer === "undefined" || typeof File === "undefined") return;
  var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"];
  var type = "";
  for (var i = 0; i < types.length; i++) {
    if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(types[i])) {
      type = types[i];
      break;
    }
  }
  if (!type) return;
  try {
    new DataTransfer().items.add(new File(["x"], "x.webm")); // old engines refuse this
  } catch (e) {
    return;
  }
  var d = box.dataset;
  var max = parseInt(d.max, 10) || 120;

  function button(label, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn rec-btn" + (cls ? " " + cls : "");
    b.textContent = label;
    box.appendChild(b);
    return b;
  }
  var status = document.createElement("p");
  status.className = "rec-status";
  status.setAttribute("aria-live", "polite");
  box.appendChild(status);
  var rec = button(d.record);
  var stop = button(d.stop, "danger");
  var play = button(d.play, "secondary");
  var again = button(d.again, "secondary");
  var audio = document.createElement("audio");
  audio.preload = "none";
  box.appendChild(audio);

  function show(list) {
    [rec, stop, play, again].forEach(function (b) {
      b.hidden = list.indexOf(b) < 0;
    });
  }
  function say(text, seconds) {
    status.textContent = text.replace("%(seconds)s", String(seconds));
  }

  var recorder = null;
  var stream = null;
  var chunks = [];
  var timer = null;
  var left = max;
  var url = "";

  function finish() {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    var mime = type.split(";")[0];
    var blob = new Blob(chunks, { type: mime });
    var file = new File([blob], "voice-note." + mime.split("/")[1], { type: mime });
    var dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(blob);
    audio.src = url;
    box.setAttribute("data-recorded", String(max - left));
    say(d.done, max - left);
    show([play, again]);
  }

  function start() {
    media.getUserMedia({ audio: true }).then(function (s) {
      stream = s;
      chunks = [];
      recorder = new MediaRecorder(s, { mimeType: type });
      recorder.addEventListener("dataavailable", function (e) {
        if (e.data && e.data.size) chunks.push(e.data);
      });
      recorder.addEventListener("stop", finish);
      recorder.start(1000);
      left = max;
      say(d.recording, left);
      show([stop]);
      stop.focus();
      timer = setInterval(function () {
        left -= 1;
        say(d.recording, left);
        if (left <= 0 && recorder.state === "recording") recorder.stop();
      }, 1000);
    }).catch(function () {
      say(d.denied, 0);
      show([rec]);
    });
  }

  rec.addEventListener("click", start);
  again.addEventListener("click", function () {
    audio.pause();
    input.value = "";
    start();
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") recorder.stop();
  });
  play.addEventListener("click", function () {
    audio.currentTime = 0;
    audio.play();
  });
  show([rec]);
  say(d.ready, max);
  box.hidden = false;
})();
