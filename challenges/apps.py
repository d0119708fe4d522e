from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from taggit.models import Tag

        from challenges.models import ChallengePageTag, Theme
        from portal import invalidation, versions

        # Challenge cards, pages and every filter show theme names (portal.invalidation).
        invalidation.register(Theme, versions=(versions.LABELS,))
        # Challenge pages show their tags: page tags are taggit's own Tag model.
        invalidation.register(Tag, versions=(versions.PAGES,))
        invalidation.register(ChallengePageTag, versions=(versions.PAGES,))
        # A joint challenge's partners show on their sites and the regional front page.
        from challenges.models import ChallengePage

        invalidation.register(
            ChallengePage.partner_municipalities.through, versions=(versions.PAGES,)
        )

        # The home page and the default menu show challenges (cms.home).
        from challenges import selectors
        from challenges.municipal_sites import reserved_slug_error
        from cms.home import parts
        from portal.municipalities import SLUG_CHECKS

        # A municipality's slug is its address: not one the site's own URLs use.
        SLUG_CHECKS.append(reserved_slug_error)

        parts.challenge_index = selectors.challenge_index_page
        parts.sections.append(selectors.home_sections)
        parts.sections.append(selectors.joint_challenge_section)
        parts.municipality_sections.append(selectors.municipality_open_challenges)
