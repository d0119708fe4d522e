"""The municipalities one installation serves (issue 13; see docs/regional.md).

Units, routing rules and ideas belong to exactly one municipality. A single-municipality
installation has one row here and never needs to think about it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.invalidation import InvalidatingQuerySet
from portal.validators import validate_municipality_number


class MunicipalityQuerySet(InvalidatingQuerySet):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(is_active=True)


class Municipality(models.Model):
    """A kommune taking part in the platform, with the unit that receives its free ideas."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Used in web addresses, e.g. “fjordvik”."),
    )
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[validate_municipality_number],
        help_text=_("The four-digit kommunenummer from Statistics Norway, e.g. 4601."),
    )
    coat_of_arms = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("coat of arms"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"),
        null=True,
        blank=True,
        help_text=_("Used to compare solutions between municipalities of similar size."),
    )
    # PROTECT, not SET_NULL: losing the intake unit silently would leave free ideas with
    # nowhere to go (routing then fails). Units are deactivated rather than deleted; to
    # delete this one, choose another intake unit first. Nullable only because a new
    # municipality exists before its units do.
    intake_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("intake unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Receives the ideas that no routing rule or challenge claims."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The municipality's own people in the Wagtail admin and its own images and
    # documents, made and kept up to date by `portal.services.municipality_groups_update`.
    # Being in `administrators_group` is what makes someone the municipality's
    # administrator (portal.roles); SET_NULL because the service makes them again.
    administrators_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("administrators group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="administered_municipality",
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_municipality",
    )
    # Its editors' pages go to this workflow, approved by its administrators (made by
    # the same service; SET_NULL because the service makes it again).
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        verbose_name=_("page workflow"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="municipality",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="municipality",
        help_text=_("Holds the municipality’s own images and documents."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{4}$"),
                name="portal_municipality_number_four_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self._stored_slug = self.slug
        self._stored_is_active = self.is_active

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row said when read: a changed slug moves the municipality's pages
        # and search entries (`slug_changed`); (de)activation changes the joint
        # challenges' search entries (`activation_changed`).
        instance._stored_slug = instance.__dict__.get("slug")
        instance._stored_is_active = instance.__dict__.get("is_active")
        return instance

    def slug_changed(self) -> bool:
        """Whether the slug differs from the stored row's (during `save`, including its
        post_save receivers: whether this save changes it)."""
        stored = getattr(self, "_stored_slug", None)
        return stored is not None and stored != self.slug

    def activation_changed(self) -> bool:
        """Whether `is_active` differs from the stored row's (as `slug_changed`)."""
        stored = getattr(self, "_stored_is_active", None)
        return stored is not None and stored != self.is_active

    def clean(self) -> None:
        # A new municipality has no units yet: its intake unit is chosen after.
        if self.intake_unit is not None and self.intake_unit.municipality_id != self.pk:
            raise ValidationError(
                {"intake_unit": _("The intake unit must be one of this municipality’s units.")}
            )
        if self.slug:
            for check in SLUG_CHECKS:
                if error := check(self):
                    raise ValidationError({"slug": error})


# The slug is the municipality's address (`/<slug>/`). Apps above portal add what else
# it must not collide with (cms: another page at that address; challenges: the site's
# own addresses). Each takes the municipality and returns a message, or None.
SLUG_CHECKS: list[Callable[[Municipality], str | None]] = []


def active_municipality_ids() -> list[int]:
    """Up to two active municipalities' ids: enough to tell "one" from "several".

    Asked on every idea submission and submit form; cached per process until a
    municipality changes (portal.apps registers it with portal.invalidation).
    """
    from portal import versions

    return versions.cached(
        versions.MUNICIPALITIES,
        "active-municipality-ids",
        lambda: list(Municipality.objects.active().order_by("pk").values_list("pk", flat=True)[:2]),
    )


def active_municipalities() -> dict[int, Municipality]:
    """Every active municipality by id: what a free idea may be submitted for.

    Cached per process until a municipality changes (like `active_municipality_ids`),
    so checking the submit form's choice costs no query. Each call gets its own copies
    (the per-process cache pickles), so changing one changes nothing for others.
    """
    from portal import versions

    return versions.cached(
        versions.MUNICIPALITIES,
        "active-municipalities",
        lambda: {municipality.pk: municipality for municipality in Municipality.objects.active()},
    )
