"""URL modules of the unit sites, each included by ``config/urls.py``: ``public`` (the
sites at ``/u/<code>/``), ``search``, ``offline`` (the service worker at the root) and
``desk`` (the workbench, under ``/desk/``)."""
