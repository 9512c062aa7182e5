"""The pages of the unit sites: ``public`` (what visitors read), ``search``, ``offline`` (the
service worker) and ``desk`` (writing and approving in the workbench). The URL modules
import the submodules."""
