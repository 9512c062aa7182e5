"""The seeded generator of synthetic names, birth dates, phone and ID numbers."""

from __future__ import annotations

import datetime as dt
import random

from nutag.people.ethnicity import Ethnicity
from nutag.people.idcard import checksum_char
from nutag.people.models import Gender

from .data import (
    BANNER_CODE,
    DAUR_SURNAMES,
    ETHNIC_WEIGHTS,
    EWENKI_SURNAMES,
    EWENKI_TOWNSHIP_WEIGHTS,
    HAN_GIVEN,
    HAN_SURNAMES,
    MOBILE_PREFIXES,
    MONGOL_GIVEN,
    MONGOL_PREFIX,
    MONGOL_SUFFIX,
    MONGOL_SURNAMES,
    REFERENCE_DATE,
)


class _Gen:
    """Seeded generator of synthetic names, dates, phone and ID numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def ethnicity(self, unit_code: str) -> str:
        weights = EWENKI_TOWNSHIP_WEIGHTS if unit_code.startswith("150725103") else ETHNIC_WEIGHTS
        return self.rng.choices([e for e, _w in weights], [w for _e, w in weights])[0]

    def gender(self) -> str:
        return self.rng.choice([Gender.MALE, Gender.FEMALE])

    def _han_given(self, gender: str) -> str:
        chars = HAN_GIVEN[gender]
        return "".join(self.rng.choice(chars) for _ in range(self.rng.choice([1, 2, 2])))

    def _mongol_given(self, gender: str) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(MONGOL_GIVEN[gender])
        return self.rng.choice(MONGOL_PREFIX) + self.rng.choice(MONGOL_SUFFIX[gender])

    def name(self, ethnicity: str, gender: str, surname: str | None = None) -> tuple[str, str]:
        """``(full name, surname)``; ``surname`` keeps a family's surname for a child."""
        if ethnicity == Ethnicity.MONGOL:
            if surname is None:
                surname = self.rng.choice(MONGOL_SURNAMES) if self.rng.random() < 0.2 else ""
            return surname + self._mongol_given(gender), surname
        if ethnicity in {Ethnicity.EWENKI, Ethnicity.DAUR, Ethnicity.OROQEN}:
            pool = EWENKI_SURNAMES if ethnicity != Ethnicity.DAUR else DAUR_SURNAMES
            surname = surname or self.rng.choice(pool)
            given = (
                self._mongol_given(gender) if self.rng.random() < 0.5 else self._han_given(gender)
            )
            return surname + given, surname
        surname = surname or self.rng.choice(HAN_SURNAMES)
        return surname + self._han_given(gender), surname

    def birth_date(self, min_age: int, max_age: int) -> dt.date:
        age = self.rng.randint(min_age, max_age)
        start = dt.date(REFERENCE_DATE.year - age - 1, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def id_number(self, born: dt.date, gender: str) -> str:
        """Region 150725, the birth date, a sequence whose parity gives the gender, checksum."""
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.randrange(0, 5) * 2
            if gender == Gender.MALE:
                seq += 1
            first17 = f"{BANNER_CODE}{born:%Y%m%d}{seq:03d}"
            value = first17 + checksum_char(first17)
            if value not in self.ids:
                self.ids.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value
