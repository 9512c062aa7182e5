"""The demo banner: 陈巴尔虎旗 (Chen Barag Banner), modelled on the seed, with synthetic people.

``build_demo()`` (run by ``manage.py load_demo``) makes, in one transaction:

- 126 units under the banner (code 150725): 7 townships, 2 sub-district offices, 48 banner
  organs, 29 villages, 14 communities, 11 state firms, 1 private firm and 13 schools, each
  with its Party branch and care committee. Units are created through ``unit_create`` (so
  through treebeard, with their bodies and an audit row each).
- 1,679 people working in the care committees (``CareWorker`` at their unit), 1,024 of them
  five elders, plus Party members (some mobile), residents, and young people with their
  guardians. People are bulk-inserted, bypassing ``person_create`` for speed (no audit rows),
  with ``unit_path``, ``name_pinyin`` and ``name_initials`` set exactly as the service does.
- the positions of the "branch + committee" seed model at every unit, except the units of
  ``DEVIATIONS``, which break it on purpose so that ``seed_model_check`` has something to show;
- the demo logins (``LOGIN_ROLES``), all with one password (``NUTAG_DEMO_PASSWORD``).
- every unit's site columns, and a few synthetic articles and notices written through the
  sites services (``site``): a banner notice pushed down to every unit, a township notice
  pushed to its units, village articles (one recommended up, one waiting for approval).
- the work cycle (``work``): the default standards, two finished five-good rounds (the seed's
  83 of 118 grassroots committees in 2025, 76 the year before) and one open task from the
  banner to every township, half of them reported.

Everything is synthetic: names are drawn from lists of common surnames and given names,
phone numbers are random, ID numbers are well-formed (region 150725, a real birth date,
a valid check character) but belong to no one. Generation is seeded, and ages are counted
from ``REFERENCE_DATE`` rather than today, so every run plans exactly the same people.

Idempotent: units are found by code, people by ID number; only what is missing is created.
A second run changes nothing. Mongolian unit names are approximate, for the demo only.

The code lives in submodules: ``data`` (the banner's code, the seed, the reference date, the
seed's figures, ``DEVIATIONS`` and the pools synthetic people are drawn from), ``units``
(``UnitSpec``, the unit names and codes, ``unit_specs``), ``synthetic`` (the seeded generator
of names, dates, phone and ID numbers), ``plan`` (the deterministic plan of people, positions
and guardianships: ``plan_people``) and ``build`` (writing it to the database, idempotently,
with the demo logins: ``build_demo``). The names below are re-exported, lazily (this
package is also the ``demo`` Django app, imported before the models are ready), so
``nutag.demo.<name>`` works; to patch a name in a test, patch it in the submodule that
reads it.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> the submodule it comes from
_EXPORTS = {
    "LOGIN_ROLES": "build",
    "DemoLogin": "build",
    "DemoRefusedError": "build",
    "DemoResult": "build",
    "build_demo": "build",
    "demo_password": "build",
    "BANNER_CODE": "data",
    "CARE_WORKERS": "data",
    "CHAIR_NOT_SECRETARY": "data",
    "DAUR_SURNAMES": "data",
    "DEFAULT_PASSWORD": "data",
    "DEVIATIONS": "data",
    "ELDERS_BY_CATEGORY": "data",
    "ETHNIC_WEIGHTS": "data",
    "EWENKI_SURNAMES": "data",
    "EWENKI_TOWNSHIP_WEIGHTS": "data",
    "FIVE_ELDERS": "data",
    "HAN_GIVEN": "data",
    "HAN_SURNAMES": "data",
    "MOBILE_KINDS": "data",
    "MOBILE_LOCATIONS": "data",
    "MOBILE_PREFIXES": "data",
    "MONGOL_GIVEN": "data",
    "MONGOL_PREFIX": "data",
    "MONGOL_SUFFIX": "data",
    "MONGOL_SURNAMES": "data",
    "NO_VICE_CHAIR": "data",
    "OFFICERS": "data",
    "OTHERS": "data",
    "PASSWORD_ENV": "data",
    "REFERENCE_DATE": "data",
    "REPRESENTS": "data",
    "SEED": "data",
    "UNITS_BY_KIND": "data",
    "VICE_CHAIR_NOT_RETIRED": "data",
    "VOLUNTEER_WEIGHTS": "data",
    "LOGIN_UNITS": "plan",
    "DemoPlan": "plan",
    "PlannedGuardianship": "plan",
    "PlannedPerson": "plan",
    "PlannedPosition": "plan",
    "plan_people": "plan",
    "COMMUNITY_NAMES": "units",
    "ORGAN_NAMES": "units",
    "PRIVATE_FIRMS": "units",
    "SCHOOLS": "units",
    "STATE_FIRMS": "units",
    "SUBDISTRICTS": "units",
    "TOWNSHIPS": "units",
    "UnitSpec": "units",
    "unit_specs": "units",
}


def __getattr__(name: str) -> Any:
    """``nutag.demo.<name>``: import the submodule on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "BANNER_CODE",
    "CARE_WORKERS",
    "CHAIR_NOT_SECRETARY",
    "COMMUNITY_NAMES",
    "DAUR_SURNAMES",
    "DEFAULT_PASSWORD",
    "DEVIATIONS",
    "ELDERS_BY_CATEGORY",
    "ETHNIC_WEIGHTS",
    "EWENKI_SURNAMES",
    "EWENKI_TOWNSHIP_WEIGHTS",
    "FIVE_ELDERS",
    "HAN_GIVEN",
    "HAN_SURNAMES",
    "LOGIN_ROLES",
    "LOGIN_UNITS",
    "MOBILE_KINDS",
    "MOBILE_LOCATIONS",
    "MOBILE_PREFIXES",
    "MONGOL_GIVEN",
    "MONGOL_PREFIX",
    "MONGOL_SUFFIX",
    "MONGOL_SURNAMES",
    "NO_VICE_CHAIR",
    "OFFICERS",
    "ORGAN_NAMES",
    "OTHERS",
    "PASSWORD_ENV",
    "PRIVATE_FIRMS",
    "REFERENCE_DATE",
    "REPRESENTS",
    "SCHOOLS",
    "SEED",
    "STATE_FIRMS",
    "SUBDISTRICTS",
    "TOWNSHIPS",
    "UNITS_BY_KIND",
    "VICE_CHAIR_NOT_RETIRED",
    "VOLUNTEER_WEIGHTS",
    "DemoLogin",
    "DemoPlan",
    "DemoRefusedError",
    "DemoResult",
    "PlannedGuardianship",
    "PlannedPerson",
    "PlannedPosition",
    "UnitSpec",
    "build_demo",
    "demo_password",
    "plan_people",
    "unit_specs",
]
