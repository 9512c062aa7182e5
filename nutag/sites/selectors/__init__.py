"""Reads of the unit sites: ``public`` (what a visitor sees, what an officer may open; every
public name of it is re-exported here) and ``desk`` (the writing desk: articles by stage,
recommendations)."""

from nutag.sites.selectors.public import *  # noqa: F403
