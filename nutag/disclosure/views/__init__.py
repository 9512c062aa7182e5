"""The disclosure pages: ``desk`` (the workbench: calendar, drafts, sign-off, corrections) and
``public`` (a signed-off disclosure on the unit's site, and asking about a line)."""
