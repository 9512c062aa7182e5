"""Every write of the study app.

- ``courses``: courses and lessons (made at a unit, assigned to it and every unit below),
  reminders to those who have not finished;
- ``progress``: a person's progress on a lesson (idempotent by the client's id), quizzes,
  study taken to a housebound member's home (送学到家);
- ``meetings``: 三会一课 records with attendance;
- ``live``: scheduled live meetings (the remote Party lesson): sign-in in the window, by phone
  or the room's QR code, catch-up afterwards, absences;
- ``files``: a lesson's PDF and pictures, a meeting's photos (checked by content);
- ``points``: the banner's rules and the ledger of verified acts (积分);
- ``micro_branch``: mobile members' monthly check-ins (流动党员微支部).
"""

from nutag.study.services.courses import course_create, lesson_add, study_remind
from nutag.study.services.files import meeting_photos_add
from nutag.study.services.live import (
    meeting_absence_record,
    meeting_catch_up,
    meeting_qr_token,
    meeting_schedule,
    meeting_sign_in,
)
from nutag.study.services.meetings import meeting_record
from nutag.study.services.micro_branch import checkin_post
from nutag.study.services.points import (
    point_rule_set,
    points_award,
    points_log_volunteering,
)
from nutag.study.services.progress import (
    progress_record,
    quiz_submit,
    study_delivered_home,
)

__all__ = [
    "checkin_post",
    "course_create",
    "lesson_add",
    "meeting_absence_record",
    "meeting_catch_up",
    "meeting_photos_add",
    "meeting_qr_token",
    "meeting_record",
    "meeting_schedule",
    "meeting_sign_in",
    "point_rule_set",
    "points_award",
    "points_log_volunteering",
    "progress_record",
    "quiz_submit",
    "study_delivered_home",
    "study_remind",
]
