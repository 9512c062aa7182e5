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


CAMP_TITLE = "草原夏令营"
CAMP_REPORT = (
    "暑假里，嘎查关工委的五老带孩子们走进草原：老牧民讲了四季轮牧和保护草场，"
    "退休教师教唱长调，派出所民警讲了防溺水和交通安全。\n"
    "孩子们说，最喜欢和老人们一起做奶食。"
)


def ensure_activities() -> int:
    """A summer camp at demo-elder's village, held a few weeks ago: the two paired children
    signed up with their guardians' consent (one with photo consent), both checked in (one by
    the QR code), and its report published in the village site's care column."""
    from nutag.youth.models import Activity, ActivityKind
    from nutag.youth.services.activities import checkin_token

    user = get_user_model().objects.filter(username="demo-elder").first()
    elder = Person.objects.filter(user=user).select_related("unit").first() if user else None
    if elder is None or Activity.objects.filter(unit=elder.unit, title=CAMP_TITLE).exists():
        return 0
    records = list(
        YouthRecord.objects.filter(pairs__elders=elder)
        .select_related("young__person")
        .distinct()
        .order_by("pk")
    )
    today = timezone.localdate()
    held_on = today - dt.timedelta(days=40)
    camp = services.activity_create(
        acting_user=SYSTEM,
        unit=elder.unit,
        kind=ActivityKind.CAMP,
        title=CAMP_TITLE,
        held_on=held_on,
        place="嘎查党群服务中心",
        capacity=30,
    )
    made = 1
    for i, record in enumerate(records):
        link = record.young.guardianships.select_related("guardian").first()
        if link is None:
            continue
        signup = services.signup_create(
            acting_user=SYSTEM,
            activity=camp,
            young=record.young,
            consent_by=link.guardian,
            consent_how="paper" if i == 0 else "phone",
            photo_consent=i == 0,
            consent_at=timezone.make_aware(
                dt.datetime.combine(held_on - dt.timedelta(days=7), dt.time(10))
            ),
        )
        made += 1
        phone = link.guardian.phone
        at_the_door = timezone.make_aware(dt.datetime.combine(held_on, dt.time(8, 30)))
        if (
            i == 0
            and phone
            and services.check_in_by_token(token=checkin_token(camp), phone=phone, now=at_the_door)
        ):
            continue
        services.attendance_mark(acting_user=SYSTEM, signup=signup, present=True)
    article = services.activity_report_publish(
        acting_user=SYSTEM, activity=camp, summary=CAMP_REPORT
    )
    _report_in_mongolian(article.pk)
    return made + 1


# The report in Mongolian (transliteration, as nutag.demo.mongolian does for the demo's
# articles): title, summary, paragraphs.
CAMP_REPORT_MN = (
    "tal-a-yin jun-u sorgalgan",
    "tabun ötegüs jalagus-i tal-a nutug-tu abcu yabuba.",
    [
        "jun-u amaralta-du gacag-a-yin qalamjilaqu jöblel-ün tabun ötegüs jalagus-i tal-a "
        "nutug-tu abcu yabuba: ötegüs malcin dörben cag-un nutug sergilge-yi ögülejü, "
        "tetegebüri-ber surgagci urtu-yin dagu-yi surgaba.",
        "jalagus ötegüs-tei qamtu cagan idege kijü bayarlaba.",
    ],
)


def _report_in_mongolian(article_id: int) -> None:
    from django.utils.html import escape

    from nutag.core.mongol_script import to_script
    from nutag.sites.models import Article
    from nutag.sites.search import index_article_ids

    title, summary, paragraphs = CAMP_REPORT_MN
    Article.objects.filter(pk=article_id).update(
        title_mn=to_script(title),
        summary_mn=to_script(summary),
        body_mn="".join(f"<p>{escape(to_script(p))}</p>" for p in paragraphs),
    )
    index_article_ids([article_id])
