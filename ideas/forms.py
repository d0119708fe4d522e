"""Forms validate what people type; the services in `ideas.services` do the writing."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage, Theme, partner_challenge_ids
from challenges.selectors import challenges_visible_to
from ideas import selectors
from ideas.models import PUBLIC_STATUSES, IdeaKind
from ideas.services import MAX_ATTACHMENTS, AttachmentUpload, attachment_kind
from ideas.tags import parse_tags
from portal.forms import HoneypotMixin, QueryFilterForm
from portal.ids import IdModelChoiceField, parse_id
from portal.models import Municipality, Unit
from portal.municipalities import active_municipalities, active_municipality_ids

ACCEPTED_FILES = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"


class TagsField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return parse_tags(value or "")


class IdeaContentForm(HoneypotMixin, forms.Form):
    """The fields an author writes, shared by submitting and editing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].widget.attrs.update(
            {
                "data-hx-get": reverse("ideas:tag_suggestions"),
                "data-hx-trigger": "input changed delay:300ms",
                "data-hx-target": "#tag-suggestions",
                "data-hx-swap": "innerHTML",
                "data-hx-sync": "this:replace",
            }
        )

    title = forms.CharField(
        label=_("Title"),
        max_length=140,
        help_text=_("A short name for the idea, at most 140 characters."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences, shown in lists."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What is the problem, what is your idea, and who would it help? "
            "You can use simple Markdown: **bold**, *italic*, lists and links."
        ),
    )
    theme = IdModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("No particular theme"),
        help_text=_("For ideas that do not answer a challenge."),
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Keywords separated by commas, for example: school route, safety."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "tag-suggestions"}),
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A street, area or building the idea is about, if any."),
    )


class ActiveMunicipalityField(IdModelChoiceField):
    """The municipality a free idea is for, among the active ones: checked against those
    cached per process (`active_municipalities`), not with a query of its own, as every
    submission in a region sends one. The select still lists `queryset`."""

    def to_python(self, value: Any) -> Municipality | None:
        if value in self.empty_values:
            return None
        pk = parse_id(value)
        municipality = active_municipalities().get(pk) if pk is not None else None
        if municipality is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return municipality


class IdeaSubmitForm(IdeaContentForm):
    """Submitting an idea (anyone logged in) or a proposal (members of organisations)."""

    field_order = [
        "municipality",
        "challenge",
        "title",
        "summary",
        "description",
        "kind",
        "organisation",
        "theme",
        "tags",
        "location",
    ]

    kind = forms.ChoiceField(
        label=_("Who is it from?"),
        choices=[
            (IdeaKind.IDEA, _("From me, as a private person")),
            (IdeaKind.PROPOSAL, _("A proposal on behalf of an organisation")),
        ],
        initial=IdeaKind.IDEA,
        widget=forms.RadioSelect,
    )
    organisation = IdModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("Choose organisation"),
        help_text=_("Needed for proposals: the organisation you submit on behalf of."),
    )
    challenge = IdModelChoiceField(
        label=_("Challenge"),
        queryset=None,
        required=False,
        empty_label=_("None – a free idea"),
        help_text=_("The challenge your idea answers, if any."),
        error_messages={
            "invalid_choice": _(
                "The challenge you chose no longer accepts ideas. "
                "Choose another or submit a free idea."
            )
        },
    )

    municipality = ActiveMunicipalityField(
        label=_("Municipality"),
        queryset=Municipality.objects.active(),
        required=False,
        empty_label=_("Choose municipality"),
        help_text=_(
            "The municipality your idea is for. An idea for a challenge goes to "
            "the challenge's municipality."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # With one municipality (the usual case) nobody chooses: the service uses it.
        if len(active_municipality_ids()) < 2:
            del self.fields["municipality"]
        # htmx enhancements: similar ideas while typing the title, tag suggestions.
        self.fields["title"].widget.attrs.update(
            {
                "data-hx-get": reverse("ideas:similar"),
                "data-hx-trigger": "input changed delay:600ms",
                "data-hx-target": "#similar-ideas",
                "data-hx-sync": "this:replace",
                # The idea's municipality follows from these: its similar ideas are
                # that municipality's (ideas.views.authoring.similar_ideas).
                "data-hx-include": "[name='challenge'], [name='municipality']",
            }
        )
        self.fields["organisation"].queryset = user.organisations.order_by("name")
        self.fields["challenge"].queryset = selectors.open_challenges(user)
        if self._sent_as_a_person():
            # Whether the person belongs to an organisation only matters if the form is
            # shown again; an accepted idea from a person does not need to ask.
            self.fields["kind"].required = False
        else:
            self._offer_proposals_only_to_members()
        for index in range(1, MAX_ATTACHMENTS + 1):
            self.fields[f"attachment_{index}"] = forms.FileField(
                label=_("File %(number)d") % {"number": index},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
            )
            self.fields[f"alt_text_{index}"] = forms.CharField(
                label=_("Image description for file %(number)d") % {"number": index},
                max_length=250,
                required=False,
                help_text=_("Required for images: what the image shows."),
            )

    @cached_property
    def has_organisations(self) -> bool:
        return self.user.organisations.exists()

    def _sent_as_a_person(self) -> bool:
        """A sent form that asks for an idea from the person, not a proposal."""
        return (
            self.is_bound
            and (self.data.get("kind") or IdeaKind.IDEA) == IdeaKind.IDEA
            and not self.data.get("organisation")
        )

    def _offer_proposals_only_to_members(self) -> None:
        # People without an organisation can only submit ideas as themselves.
        if "kind" not in self.fields:
            return
        if self.has_organisations:
            self.fields["kind"].required = True
        else:
            del self.fields["organisation"]
            del self.fields["kind"]
            for name in ("organisation", "kind"):
                (self._errors or {}).pop(name, None)

    # A form with errors is shown again, looking as it did: decide then (see __init__).
    _cleaned = False

    def full_clean(self):
        self._cleaned = False
        super().full_clean()
        self._cleaned = True
        if self._errors:
            self._offer_proposals_only_to_members()

    def add_error(self, field, error):
        super().add_error(field, error)
        if self._cleaned:  # an error from the service, after validation
            self._offer_proposals_only_to_members()

    @property
    def attachment_pairs(self):
        return [
            (self[f"attachment_{index}"], self[f"alt_text_{index}"])
            for index in range(1, MAX_ATTACHMENTS + 1)
        ]

    def chosen_file_names(self) -> list[str]:
        """Names of files a rejected form received; browsers forget them, so we say which."""
        return [
            upload.name
            for index in range(1, MAX_ATTACHMENTS + 1)
            if (upload := self.files.get(f"attachment_{index}")) is not None
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or IdeaKind.IDEA
        cleaned["kind"] = kind
        if kind == IdeaKind.PROPOSAL and not cleaned.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the proposal is from."))
        if self._needs_municipality(cleaned):
            self.add_error("municipality", _("Choose the municipality your idea is for."))
        cleaned["attachments"] = self._clean_attachments(cleaned)
        return cleaned

    def _needs_municipality(self, cleaned: dict) -> bool:
        """A free idea must name its municipality where several take part (a challenge
        decides it otherwise)."""
        return (
            "municipality" in self.fields
            and not cleaned.get("challenge")
            and not cleaned.get("municipality")
            and "municipality" not in self.errors
        )

    def _clean_attachments(self, cleaned: dict) -> list[AttachmentUpload]:
        """The files chosen, checked by content; an image needs its description."""
        uploads = []
        for index in range(1, MAX_ATTACHMENTS + 1):
            upload = cleaned.get(f"attachment_{index}")
            alt_text = (cleaned.get(f"alt_text_{index}") or "").strip()
            if not upload:
                continue
            try:
                kind_of_file = attachment_kind(upload)
            except ValidationError as error:
                self.add_error(f"attachment_{index}", error)
                continue
            if kind_of_file == "image" and not alt_text:
                self.add_error(
                    f"alt_text_{index}",
                    _("Describe what the image “%(name)s” shows, for people who cannot see it.")
                    % {"name": upload.name},
                )
                continue
            uploads.append(AttachmentUpload(file=upload, alt_text=alt_text))
        return uploads


class IdeaEditForm(IdeaContentForm):
    """What an author may still change while the idea is only submitted."""

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        if idea.challenge_id is not None:
            del self.fields["theme"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the idea?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown publicly on the idea's timeline."),
    )


class IdeaFilterForm(QueryFilterForm):
    """The list's filters and sort order, read from the URL (GET).

    Themes and units are named by slug, as on the challenge index and in search: a
    link stays readable and survives a database reload. Challenges stay by id (page
    slugs are only unique among siblings). Links from before used ids for themes and
    units; `canonical_query` turns them into slugs for a permanent redirect.
    """

    PER_PAGE_CHOICES = [(20, "20"), (50, "50")]

    challenge = IdModelChoiceField(
        label=_("Challenge"),
        queryset=ChallengePage.objects.none(),  # those the person may see (__init__)
        required=False,
        empty_label=_("All challenges"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    tag = forms.SlugField(label=_("Tag"), required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))]
        + [(status.value, status.label) for status in PUBLIC_STATUSES],
    )
    unit = IdModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All units"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Ideas and proposals")), *IdeaKind.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (selectors.Sort.NEWEST, _("Newest")),
            (selectors.Sort.MOST_SUPPORTED, _("Most supported")),
            (selectors.Sort.MOST_DISCUSSED, _("Most discussed")),
            (selectors.Sort.RECENTLY_UPDATED, _("Recently updated")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"), required=False, coerce=int, choices=PER_PAGE_CHOICES, empty_value=20
    )

    def __init__(self, *args, user, municipality_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user
        self._municipality_id = municipality_id
        self._choices_limited = False

    def _limit_choices(self) -> None:
        """Narrow the challenges, themes and units to those this person and list offer.

        Done at the first validation or rendering, not in `__init__`: a warm request is
        answered from the cached list and filter fields and never needs them, and
        building these querysets costs more than the rest of such a request (no query
        either way: they are only evaluated when validated or rendered).
        """
        if self._choices_limited:
            return
        self._choices_limited = True
        challenges = challenges_visible_to(self._user)
        if self._municipality_id is not None:
            # A municipality's own list offers its own challenges, units and themes
            # (those its challenges are about): another's would always find nothing.
            # Its challenges include the joint ones it is a partner in, whose ideas
            # the list shows (`selectors.municipality_ideas_q`); their units, the
            # lead's, are not its own.
            challenges = challenges.filter(
                Q(owning_unit__municipality_id=self._municipality_id)
                | Q(pk__in=partner_challenge_ids([self._municipality_id], live_only=True))
            )
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(
                municipality_id=self._municipality_id
            )
            self.fields["theme"].queryset = Theme.objects.filter(pk__in=challenges.values("theme"))
        self.fields["challenge"].queryset = challenges.order_by("title")

    def __getitem__(self, name: str) -> forms.BoundField:
        # Every rendering, and validation (`_clean_fields`), reads fields through here.
        self._limit_choices()
        return super().__getitem__(name)

    def full_clean(self) -> None:
        self._limit_choices()
        super().full_clean()

    # Filters named by slug whose old links used the primary key.
    SLUG_FIELDS = ("theme", "unit")

    def canonical_query(self) -> QueryDict | None:
        """The query with old numeric theme/unit ids replaced by slugs, or None if none.

        Costs a query only when such a value is present (all-digit slugs are checked
        first, so they keep working).
        """
        query = self.data.copy()
        changed = False
        for name in self.SLUG_FIELDS:
            value = query.get(name, "")
            if not value.isdigit():
                continue
            model = self.fields[name].queryset.model
            if model.objects.filter(slug=value).exists():
                continue
            slug = model.objects.filter(pk=int(value)).values_list("slug", flat=True).first()
            if slug:
                query[name] = slug
                changed = True
        return query if changed else None

    def filters(self) -> selectors.IdeaFilters:
        data = self.applied()
        return selectors.IdeaFilters(
            challenge=data.get("challenge"),
            theme_id=data["theme"].pk if data.get("theme") else None,
            tag_slug=data.get("tag") or "",
            status=data.get("status") or "",
            unit_id=data["unit"].pk if data.get("unit") else None,
            kind=data.get("kind") or "",
            sort=data.get("sort") or selectors.Sort.NEWEST,
        )

    def tag_slug(self) -> str:
        """The tag the list is filtered by, as `filters()` reads it, without validating
        (so without the choices of) the other fields."""
        field = self.fields["tag"]
        value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("tag"))
        try:
            return field.clean(value) or ""
        except ValidationError:
            return ""

    def per_page_value(self) -> int:
        return self.applied().get("per_page") or 20
