"""Grid governance in the demo: demo-village and two more villages divided into grids, each
with a herder as grid worker, and incidents in every state — a grassland boundary dispute
being mediated, a livestock damage case resolved (follow-up due later), a family dispute
referred up to the township, one closed, one resolved and followed up, and one raised from a
resident's concern at demo-village.

Written through the services as ``SYSTEM``; idempotent (nothing is made once the banner has
a grid). Dates run back from the day of loading, so no follow-up reminder is due at once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.grid import services
from nutag.grid.models import Grid, Incident
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.voice.models import Concern

from .data import BANNER_CODE
from .site import VILLAGE

GRIDS = [
    ("第一网格（东草场）", "东草场及沿河 14 户牧户"),
    ("第二网格（西草场）", "西草场、冬营盘 11 户牧户"),
]


def _grids_of(unit: Unit) -> list[Grid]:
    workers = list(Person.objects.filter(unit=unit, is_resident=True).order_by("pk")[: len(GRIDS)])
    grids = []
    for i, (name, area) in enumerate(GRIDS):
        worker = workers[i] if i < len(workers) else None
        grids.append(
            services.grid_create(
                acting_user=SYSTEM,
                unit=unit,
                name=name,
                area=area,
                worker=worker,
                public_phone="0479-2100" + f"{unit.pk % 100:02d}{i}" if i == 0 else "",
            )
        )
    return grids


def ensure_grid(units: dict[str, Unit]) -> int:
    """Grids and incidents, unless the banner has a grid already. Returns incidents made."""
    banner = units[BANNER_CODE]
    if Grid.objects.filter(subtree_q(banner.path, "unit_path")).exists():
        return 0
    village = units.get(VILLAGE)
    others = sorted(
        (u for u in units.values() if u.kind == UnitKind.VILLAGE and u != village),
        key=lambda u: u.code,
    )[:2]
    places = [u for u in (village, *others) if u is not None]
    if not places:
        return 0
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    made: list[Incident] = []
    for n, unit in enumerate(places):
        east, west = _grids_of(unit)
        boundary = services.incident_log(
            acting_user=SYSTEM,
            grid=east,
            kind="boundary",
            reported_on=ago(20 + n),
            summary="两户对确权图上的草场边界有争议，一方新拉的围栏越界约三十米。",
            parties="巴特尔家、其木格家",
        )
        services.incident_mediate(
            acting_user=SYSTEM,
            incident=boundary,
            held_on=ago(15 + n),
            mediator="网格员和嘎查人民调解委员会",
            agreed="按 2015 年确权图请苏木草原站重新测量，测量前围栏不动。",
        )
        livestock = services.incident_log(
            acting_user=SYSTEM,
            grid=west,
            kind="livestock",
            reported_on=ago(40 + n),
            summary="羊群进入邻户饲草地，吃掉约两亩苜蓿。",
            parties="敖其尔家、那仁家",
        )
        services.incident_mediate(
            acting_user=SYSTEM,
            incident=livestock,
            held_on=ago(38 + n),
            mediator="网格员",
            agreed="赔偿饲草 20 捆，补修围栏。",
        )
        services.incident_resolve(
            acting_user=SYSTEM,
            incident=livestock,
            outcome="已赔偿饲草 20 捆，围栏补修完毕，双方签字。",
            resolved_on=ago(30 + n),
            follow_up_on=today + dt.timedelta(days=20),
        )
        made += [boundary, livestock]
        if n == 0:
            family = services.incident_log(
                acting_user=SYSTEM,
                grid=east,
                kind="family",
                reported_on=ago(12),
                summary="分家时对草场承包经营权的分配有争议，涉及外嘎查户口。",
                parties="某家兄弟三人",
            )
            services.incident_refer_up(
                acting_user=SYSTEM, incident=family, reason="涉及两个嘎查，请苏木司法所调解。"
            )
            hazard = services.incident_log(
                acting_user=SYSTEM,
                grid=west,
                kind="safety",
                reported_on=ago(60),
                summary="冬营盘旁的电线杆倾斜。",
            )
            services.incident_resolve(
                acting_user=SYSTEM,
                incident=hazard,
                outcome="供电所已扶正电线杆。",
                resolved_on=ago(55),
                follow_up_on=ago(40),
            )
            services.incident_follow_up(
                acting_user=SYSTEM,
                incident=hazard,
                notes="回访时电线杆稳固。",
                followed_up_on=ago(40),
            )
            closed = services.incident_log(
                acting_user=SYSTEM,
                grid=east,
                kind="neighbour",
                reported_on=ago(9),
                summary="邻里因狗咬伤羊羔发生口角。",
            )
            services.incident_close(
                acting_user=SYSTEM, incident=closed, reason="双方自行和解，撤回申请。"
            )
            concern = Concern.objects.filter(unit=unit, origin=unit).order_by("pk").first()
            if concern is not None:
                made.append(
                    services.incident_log(
                        acting_user=SYSTEM,
                        grid=east,
                        kind="environment",
                        summary=concern.text[:500],
                        concern=concern,
                    )
                )
            made += [family, hazard, closed]
    return len(made)
