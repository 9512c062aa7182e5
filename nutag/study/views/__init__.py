"""Study pages: ``public`` (members' pages on the unit sites, /u/<code>/study/…) and ``desk``
(the workbench, /desk/u/<code>/study/…)."""
