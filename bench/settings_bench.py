"""Production settings for the benchmarks (``bench/pages.py``, ``bench/pageload.py``).

Exactly ``config.settings.prod`` — the same environment variables, checks and middleware —
plus two things a benchmark needs and a deployment never sets:

- ``NUTAG_BENCH_BARE=1`` serves ``bench.bare_urls``: ``config.urls`` plus one bare view
  (``/bench/bare/``) in the same processes, the baseline of ``bench/pages``;
- ``NUTAG_BENCH_STATIC_ROOT`` puts ``collectstatic``'s output in a temporary folder instead
  of the repository's ``staticfiles/``.

Nothing else differs: the server still needs ``SECRET_KEY`` and ``ALLOWED_HOSTS`` from the
environment, and ``SECURE_SSL_REDIRECT=0`` to answer plain HTTP on 127.0.0.1.
"""

import os
from pathlib import Path

from config.settings.prod import *  # noqa: F403

if os.environ.get("NUTAG_BENCH_BARE", "").strip() == "1":
    ROOT_URLCONF = "bench.bare_urls"

if os.environ.get("NUTAG_BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["NUTAG_BENCH_STATIC_ROOT"])
