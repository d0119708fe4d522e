"""The people and the municipal structure everything else hangs on."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from portal.fields import OrganisationNumberField
from portal.i18n import Label, label
from portal.invalidation import InvalidatingQuerySet
from portal.municipalities import Municipality

__all__ = ["Municipality", "Organisation", "RateLimitCounter", "Unit", "User"]


class PortalUserManager(UserManager.from_queryset(InvalidatingQuerySet)):
    """Users are identified by e-mail address; there is no username.

    Its `update()` reaches `portal.invalidation` (the Wagtail admin sets people active
    or inactive in bulk that way), so no write to a person's row misses the cached copy
    request.user is read from (portal.auth_backends).
    """

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):  # type: ignore[override]
        # Log-in is case-insensitive on the e-mail address.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person using the portal: citizen, business member, staff, editor or admin."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown next to your ideas and comments. Leave empty to use your first name."),
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="portal_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown publicly; never the e-mail address."""
        if self.display_name:
            return self.display_name
        full = self.get_full_name()
        if full:
            return full
        return str(_("Anonymous participant"))

    # The fields `public_name` is made of: cached idea lists show it (portal.apps
    # registers them with portal.invalidation).
    PUBLIC_NAME_FIELDS = frozenset({"display_name", "first_name", "last_name"})

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class UnitQuerySet(InvalidatingQuerySet):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    """A municipal unit (sektor / enhet) that owns problems and answers ideas."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(
        _("name in English"),
        max_length=120,
        blank=True,
        help_text=_("Shown on the English pages. Leave empty to show the Norwegian name there."),
    )
    # Unit slugs stay unique across the whole platform for now (docs/regional.md).
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    short_description = models.TextField(_("short description"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    staff = models.ManyToManyField(
        User, verbose_name=_("staff members"), blank=True, related_name="units"
    )
    response_deadline_days = models.PositiveSmallIntegerField(
        _("response deadline (days)"),
        default=14,
        help_text=_("Ideas waiting longer than this without an answer are overdue."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_deadline_days__gte=1),
                name="portal_unit_deadline_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="portal_unit_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> Label:
        """The name in the interface language (Norwegian when no English name is set)."""
        return label(self, "name")

    def clean(self) -> None:
        if (
            self.parent is not None
            and self.municipality_id is not None
            and self.parent.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"parent": _("The parent unit must belong to the same municipality.")}
            )
        # A unit may not sit below itself anywhere in the hierarchy.
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            ancestor = ancestor.parent


class Organisation(models.Model):
    """A business, volunteer organisation or other body that submits proposals."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        VOLUNTARY = "voluntary", _("Volunteer organisation")
        PUBLIC = "public", _("Public body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    organisation_number = OrganisationNumberField(
        _("organisation number"),
        unique=True,
        help_text=_("Nine digits, as registered in the Brønnøysund Register Centre."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BUSINESS)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        User, verbose_name=_("members"), blank=True, related_name="organisations"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("organisation_number"), 9),
                name="portal_organisation_number_nine_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"


class RateLimitCounter(models.Model):
    """How often one identity did one thing in its current window (portal.ratelimit).

    One row per scope and identity, reused window after window. The counters live in
    the database, not in the cache, because only the database increments them exactly
    when several server processes count at once (see portal.ratelimit.hit).
    """

    scope = models.CharField(max_length=40)
    # An HMAC of the kind and value ("ip", "10.0.0.1"), so that no e-mail address or IP
    # address is stored in the clear.
    identity = models.CharField(max_length=64)
    hits = models.PositiveIntegerField()
    # Seconds since the epoch: compared in SQL the same way on SQLite and PostgreSQL.
    expires_at = models.FloatField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "identity"], name="portal_ratelimit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.hits}"


class AuditEvent(models.Model):
    """What every audit trail records: who (kept when the account goes, as None), when,
    and the ids and field names of what changed (`data`: never a person's name or
    e-mail). Each trail adds its subject, its own `kind` choices and, if it keeps one, a
    `text`; the trails are apps' own tables, as apps may not know each other's."""

    actor = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
