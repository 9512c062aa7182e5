"""The WSGI application that gunicorn and granian serve (``config.wsgi:application``).

It refuses to load without DJANGO_SETTINGS_MODULE (see config/startup.py): an app server
started without configuration must not serve the development settings.
"""

from django.core.wsgi import get_wsgi_application

from config.startup import require_settings_module

require_settings_module()
application = get_wsgi_application()
