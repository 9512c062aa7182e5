"""Errors every layer shares."""


class NotFound(Exception):
    """The object is missing or outside the user's reach: both answer 404."""
