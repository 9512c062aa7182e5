"""The WSGI application that gunicorn and granian serve (``config.wsgi:application``).

It refuses to load without DJANGO_SETTINGS_MODULE (see config/startup.py): an app server
started without configuration must not serve the development settings.
"""

import os

from django.core.wsgi import get_wsgi_application

from config.startup import require_settings_module

require_settings_module()
application = get_wsgi_application()

# An unsafe production configuration (DEBUG, a weak key, no hosts, cookies over HTTP…)
# stops the app server here, before it serves anything (nutag/core/checks.py).
from nutag.core.checks import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()

if os.environ.get("NUTAG_PRELOAD", "1") != "0":
    # Load in each worker, at start, what its first requests would pay for (the search
    # tokenizer's dictionary, the catalogues): nutag/core/preload.py.
    from nutag.core.preload import run_preloads

    run_preloads()
