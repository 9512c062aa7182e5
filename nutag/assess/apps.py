from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.assess"
    verbose_name = _("Standards and tasks")

    def ready(self) -> None:
        from nutag.assess.models import (
            Assessment,
            AssessmentSubtreeTally,
            FiveGoodTally,
            ReportSubtreeTally,
            Round,
            Task,
            TaskReport,
        )
        from nutag.assess.tallies import (
            ASSESSMENT_FIELDS,
            REPORT_FIELDS,
            assessment_own,
            assessment_subtree_rebuild,
            five_good_tally_rebuild,
            report_own,
            report_subtree_rebuild,
        )
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import (
            register_keyed_subtree_sums,
            register_path_copy,
            register_tally_rebuild,
        )

        # The dashboard counts assessments by their unit's path (see docs/architecture.md).
        register_path_copy(Assessment)
        register_path_copy(FiveGoodTally)  # the five-good tally (nutag/assess/tallies.py)
        # Every audited change of these changes the dashboard's figures (nutag/orgs/figures.py):
        # an assessment or a report at its unit; a round or a task at every unit below.
        register_figure_source(Assessment)
        register_figure_source(TaskReport)
        register_figure_source(Round, subtree=True)
        register_figure_source(Task, subtree=True)
        register_tally_rebuild("five_good", five_good_tally_rebuild)
        # Per unit and round, per unit and task: the subtree's counts the dashboard reads.
        register_path_copy(AssessmentSubtreeTally)
        register_path_copy(ReportSubtreeTally)
        register_keyed_subtree_sums(
            AssessmentSubtreeTally, key="round", fields=ASSESSMENT_FIELDS, own=assessment_own
        )
        register_keyed_subtree_sums(
            ReportSubtreeTally, key="task", fields=REPORT_FIELDS, own=report_own
        )
        register_tally_rebuild("assessment_subtree", assessment_subtree_rebuild)
        register_tally_rebuild("report_subtree", report_subtree_rebuild)
