"""Youth care in the demo: demo-elder is paired with two young people of their own village,
with a season of home, phone and school visits and one need still open; the village's
good-deeds log has two entries.

Written through the services as ``SYSTEM``; idempotent (nothing is made once demo-elder has
a pair). The dates run back from the day of loading, so the visits are a recent season and
no reminder is due right after loading.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.people.models import Person, YoungPerson
from nutag.youth import services
from nutag.youth.models import Circumstance, Pairing, YouthRecord

# (days before loading, kind, mood, study, hardship, guardianship, help given, next step)
VISITS = [
    (
        80,
        "home",
        "开学了，有点想念在外打工的妈妈",
        "语文不错，数学吃力",
        "冬季取暖煤还没备齐",
        "奶奶照看，身体尚可",
        "讲了开学注意事项，带去文具",
        "联系学校了解数学成绩",
    ),
    (
        52,
        "school",
        "和同学相处融洽，愿意说话了",
        "数学月考及格",
        "",
        "奶奶腿疼，接送困难",
        "和班主任商量放学结伴回家",
        "下次家访带数学练习册",
    ),
    (
        24,
        "phone",
        "期中考试前有些紧张",
        "每天晚上做二十道口算",
        "",
        "",
        "电话里鼓励，约好周末辅导",
        "周末到家里辅导数学",
    ),
    (
        6,
        "home",
        "心情不错，说想当老师",
        "口算进步明显",
        "棉衣小了",
        "奶奶照看",
        "辅导一小时数学",
        "为孩子找一件冬季棉衣",
    ),
]
SECOND = [
    (
        70,
        "home",
        "话少，放牧季跟着父亲在草场",
        "缺课较多",
        "家里牲畜少，收入低",
        "父亲一人带两个孩子",
        "讲了按时上学的重要",
        "与学校一起劝返",
    ),
    (
        30,
        "school",
        "回到学校，笑容多了",
        "跟上了进度",
        "",
        "父亲答应不再让孩子缺课",
        "向镇关工委申请助学金",
        "跟进助学金办理",
    ),
]

# The village's good-deeds log: (days before loading, kind, what was done, people helped)
DEEDS = [
    (60, "practical", "为留守儿童家庭送去过冬煤", 3),
    (20, "hard", "协调学校为两名学生办理住宿", 2),
]


def ensure_youth() -> int:
    """What is missing of the above; how many things were made."""
    user = get_user_model().objects.filter(username="demo-elder").first()
    elder = Person.objects.filter(user=user).select_related("unit").first() if user else None
    if elder is None or Pairing.objects.filter(elders=elder).exists():
        return 0
    young = list(
        YoungPerson.objects.filter(unit=elder.unit, record__isnull=True)
        .select_related("unit", "person")
        .order_by("person__birth_date", "pk")[:2]
    )
    if len(young) < 2:
        return 0
    today = timezone.localdate()
    made = 0
    circumstances = {c.code: c for c in Circumstance.objects.all()}
    plans = [
        (young[0], ["left_behind"], "三年级二班", VISITS, ("冬季棉衣", "")),
        (young[1], ["single_parent", "dropout_risk"], "五年级一班", SECOND, ("助学金", "")),
    ]
    first: YouthRecord | None = None
    for person, codes, school_class, visits, need in plans:
        record = services.record_create(
            acting_user=SYSTEM,
            young=person,
            school_class=school_class,
            circumstances=[circumstances[c] for c in codes if c in circumstances],
            notes="",
        )
        pair = services.pairing_create(
            acting_user=SYSTEM,
            record=record,
            elders=[elder],
            started_on=today - dt.timedelta(days=90),
        )
        made += 2
        for days, kind, mood, study, hardship, guardianship, help_given, next_step in visits:
            services.visit_create(
                acting_user=SYSTEM,
                pairing=pair,
                visited_on=today - dt.timedelta(days=days),
                kind=kind,
                mood=mood,
                study=study,
                hardship=hardship,
                guardianship=guardianship,
                help_given=help_given,
                next_step=next_step,
            )
            made += 1
        services.need_create(acting_user=SYSTEM, record=record, need=need[0], resource=need[1])
        made += 1
        first = first or record
        if record is first:
            # The first child's earlier need, met by the township committee.
            done = services.need_create(acting_user=SYSTEM, record=record, need="冬季取暖煤")
            services.need_resolve(acting_user=SYSTEM, need=done, resource="苏木关工委联系民政救助")
            made += 1
    for days, kind, what, helped in DEEDS:
        services.good_deed_create(
            acting_user=SYSTEM,
            unit=elder.unit,
            done_on=today - dt.timedelta(days=days),
            kind=kind,
            what=what,
            elders=[elder],
            people_helped=helped,
        )
        made += 1
    return made
