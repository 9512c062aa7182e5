from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.study"
    verbose_name = _("Study and branch life")

    def ready(self) -> None:
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_tally_rebuild
        from nutag.study import site_slots
        from nutag.study.models import (
            CheckIn,
            Course,
            LessonProgress,
            Meeting,
            MeetingTally,
            PointEntry,
            QuizAttempt,
        )

        # History keeps its unit's path for subtree figures; it stays with its unit.
        for model in (CheckIn, Course, LessonProgress, Meeting, PointEntry, QuizAttempt):
            register_path_copy(model)
        # The 三会一课 tallies follow their unit on a move, and are recounted on demand.
        from nutag.study.tallies import meeting_tally_rebuild

        register_path_copy(MeetingTally)
        register_tally_rebuild("meetings", meeting_tally_rebuild)
        # Their writes change the study and meetings figures (a course counts at every unit
        # it is assigned below).
        register_figure_source(Course, subtree=True)
        for model in (CheckIn, LessonProgress, Meeting, PointEntry):
            register_figure_source(model)
        site_slots.register()

        from nutag.people.home import register_home_cards
        from nutag.study.home import study_cards

        register_home_cards(study_cards)
