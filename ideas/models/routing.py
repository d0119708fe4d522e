"""Rules that send a new idea to the unit that owns it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ideas.models.ideas import IdeaKind, IdeaTag


class RoutingRule(models.Model):
    """Sends ideas that match one condition to a unit. Lower priority numbers win.

    A rule routes only ideas of its own municipality, to one of that municipality's units.
    """

    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_(
            "The rule applies only to ideas in this municipality. Left empty: the target unit's."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    theme = models.ForeignKey(
        "challenges.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tag = models.ForeignKey(
        IdeaTag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    idea_kind = models.CharField(_("idea kind"), max_length=20, choices=IdeaKind, blank=True)
    target_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("target unit"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]
        constraints = [
            # Exactly one condition per rule keeps rules easy to read and to order.
            models.CheckConstraint(
                condition=(
                    Q(challenge__isnull=False, theme__isnull=True, tag__isnull=True, idea_kind="")
                    | Q(challenge__isnull=True, theme__isnull=False, tag__isnull=True, idea_kind="")
                    | Q(challenge__isnull=True, theme__isnull=True, tag__isnull=False, idea_kind="")
                    | (
                        Q(challenge__isnull=True, theme__isnull=True, tag__isnull=True)
                        & ~Q(idea_kind="")
                    )
                ),
                name="ideas_routing_rule_one_condition",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Without a municipality named, a rule belongs to its target unit's: rules
        # written before municipalities existed, and in single-municipality code, need
        # not say it. clean() (forms, admin) refuses a target in another municipality.
        if self.municipality_id is None and self.target_unit_id is not None:
            self.municipality_id = self.target_unit.municipality_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.municipality_id is None and self.target_unit_id is not None:
            self.municipality_id = self.target_unit.municipality_id
        if (
            self.target_unit_id is not None
            and self.target_unit.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"target_unit": _("The target unit must belong to the rule’s municipality.")}
            )
