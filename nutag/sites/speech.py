"""Server-side speech: an article read aloud once, into a small audio file, for phones that
have no voice for the language (many cheap Android phones have none for Chinese).

The engine is eSpeak NG (Debian ``espeak-ng``, voice ``cmn``: Mandarin), encoded to Ogg Opus
at 16 kbit/s mono by ``opusenc`` (Debian ``opus-tools``): about 2 KB a second, a minute of
reading in ~120 KB. Mongolian: eSpeak NG 1.51 (Debian 12) has no Mongolian voice (``espeak-ng
--voices`` lists none, no ``mn_dict``), and no other engine among Debian's or PyPI's packages
speaks it without a cloud service or downloaded model weights, so Mongolian articles get no
server audio; the listen button says the phone has no voice and offers a recorded version if
the writer uploaded one.

This module only turns text into bytes; ``nutag.sites.services.speech`` decides when and
stores the result.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from django.utils.html import strip_tags

ENGINE = "espeak-ng"
ENCODER = "opusenc"
VOICE = "cmn"
# Bumped when the engine's settings change, so every article is read again.
RECIPE = "espeak-ng cmn -s 165 | opus 16k mono v1"
MAX_CHARS = 8000  # about half an hour of reading: longer texts are cut at a stop
TIMEOUT_SECONDS = 300


# One reading at a time per process: the embedded mode runs jobs in threads, and a burst of
# publishing (the demo) must not start a dozen engines on a two-core office PC.
_ONE_AT_A_TIME = threading.Lock()


class SpeechUnavailable(RuntimeError):
    """The engine or the encoder is not installed here."""


def engine_available() -> bool:
    return bool(shutil.which(ENGINE) and shutil.which(ENCODER))


def article_speech_text(*, title: str, summary: str, body_html: str) -> str:
    """What the listen button reads: the title, the summary and the body (not the meta line),
    as plain text with one sentence per line."""
    body = strip_tags(re.sub(r"</(p|h\d|li|div|br)\s*>|<br\s*/?>", "\n", body_html or ""))
    parts = [title, summary, body]
    text = "\n".join(" ".join(p.split()) for p in "\n".join(parts).splitlines() if p.strip())
    if len(text) > MAX_CHARS:
        cut = max(text.rfind(stop, 0, MAX_CHARS) for stop in "。！？!?.\n")
        text = text[: cut + 1 if cut > 0 else MAX_CHARS]
    return text


def speech_key(text: str) -> str:
    """Names one reading: the same text read by the same recipe gives the same key."""
    return hashlib.sha256(f"{RECIPE}\n{text}".encode()).hexdigest()


def synthesise(text: str) -> bytes:
    """``text`` read aloud in Mandarin, as Ogg Opus bytes."""
    if not engine_available():
        raise SpeechUnavailable(
            f"{ENGINE} and {ENCODER} are needed (apt-get install espeak-ng opus-tools)"
        )
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="nutag-speech-") as tmp:
        source = Path(tmp) / "text.txt"
        wav = Path(tmp) / "speech.wav"
        out = Path(tmp) / "speech.opus"
        source.write_text(text, encoding="utf-8")
        subprocess.run(  # noqa: S603 (fixed program, our own file names)
            [ENGINE, "-v", VOICE, "-s", "165", "-b", "1", "-f", str(source), "-w", str(wav)],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
        subprocess.run(  # noqa: S603
            [
                ENCODER,
                "--quiet",
                "--bitrate",
                "16",
                "--downmix-mono",
                "--speech",
                str(wav),
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
        return out.read_bytes()
