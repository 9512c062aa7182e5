from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.voice"
    verbose_name = _("Residents' voice")

    def ready(self) -> None:
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy
        from nutag.sites.extensions import register_column_page, register_home_block
        from nutag.voice.board import board_has_content, render_board
        from nutag.voice.models import Concern, Poll
        from nutag.voice.views import render_open_poll

        # Subtree figures and lists filter concerns by their handling unit's path.
        register_path_copy(Concern)
        register_path_copy(Poll)
        # Their writes change the dashboard's and the stats API's voice figures.
        register_figure_source(Concern)
        register_figure_source(Poll)
        register_column_page("governance", render_board, has_content=board_has_content)
        # Not ``unit_only``: whether it is empty also changes with time (a poll scheduled to
        # open later); the block keeps its own HTML until that moment (``render_open_poll``).
        register_home_block("voice.poll", render_open_poll)

        from nutag.people.home import register_home_cards
        from nutag.voice.home import my_concerns_card

        register_home_cards(my_concerns_card)

        from nutag.voice.models import AidPost, Emergency
        from nutag.voice.selectors.aid import unit_has_aid
        from nutag.voice.views_aid import render_aid_column, render_emergency_block

        register_path_copy(AidPost)
        register_path_copy(Emergency)
        register_figure_source(AidPost)
        register_figure_source(Emergency)
        register_column_page("mutual_aid", render_aid_column, has_content=unit_has_aid)
        register_home_block("voice.emergency", render_emergency_block, order=0, unit_only=True)
        self._ready_talk()

        from nutag.people.accounts.deletion import register_account_deletion_hook
        from nutag.voice.services.forget import voice_forget_login

        register_account_deletion_hook(voice_forget_login)

    def _ready_talk(self) -> None:
        """Comments and the secretary's inbox (issue 13, item 5)."""
        from nutag.orgs.registry import register_path_copy
        from nutag.sites.extensions import register_article_block
        from nutag.voice.models import Comment, InboxThread
        from nutag.voice.views_talk import render_comments

        register_path_copy(Comment)
        register_path_copy(InboxThread)
        register_article_block("voice.comments", render_comments)

        from nutag.people.home import register_home_cards
        from nutag.voice.home_talk import talk_cards

        register_home_cards(talk_cards)
