"""Every reusable read of the study app; each takes the user or the unit it reads for.

- ``courses``: the courses a unit's site shows, a course or lesson in reach, audiences;
- ``records``: a branch's completion and who has not started, 三会一课 against the rhythm,
  points rankings and a person's ledger, a person's study timeline;
- ``figures``: the rolled-up figures of a subtree (dashboard, stats API).
"""

from nutag.study.selectors.courses import (
    access_course,
    access_lesson,
    audience_people,
    course_lessons_count,
    courses_for_unit,
    unit_has_courses,
)
from nutag.study.selectors.figures import StudyFigures, study_figures
from nutag.study.selectors.records import (
    MeetingRhythm,
    MobileMember,
    branch_study,
    meeting_rhythm,
    mobile_members,
    person_timeline,
    points_ledger,
    points_ranking,
)

__all__ = [
    "MeetingRhythm",
    "MobileMember",
    "StudyFigures",
    "access_course",
    "access_lesson",
    "audience_people",
    "branch_study",
    "course_lessons_count",
    "courses_for_unit",
    "meeting_rhythm",
    "mobile_members",
    "person_timeline",
    "points_ledger",
    "points_ranking",
    "study_figures",
    "unit_has_courses",
]
