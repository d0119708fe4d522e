"""Submitting an idea, and its author's controls: edit and withdraw.

Views validate input with a form and call a service; every action is a plain form
POST that redirects, and htmx requests get a fragment to swap in place instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from challenges.models import ChallengePage
from challenges.selectors import (
    challenges_visible_to,
)
from cms.regional import site_municipality
from ideas import extensions, permissions, selectors, services, similar
from ideas.actions import TransitionError, idea_transition
from ideas.forms import IdeaEditForm, IdeaSubmitForm, WithdrawForm
from ideas.models import Idea, IdeaKind, IdeaStatus
from ideas.views.common import viewable_idea
from portal.ids import parse_id
from portal.municipalities import Municipality
from portal.ratelimit import RateLimited, check_rate_limit, counted_if_accepted


@login_required
def idea_submit_view(request: HttpRequest) -> HttpResponse:
    closed_challenge = None
    limited: RateLimited | None = None
    if request.method == "POST":
        form = IdeaSubmitForm(request.POST, request.FILES, user=request.user)
        try:
            idea = _submit(request, form)
        except RateLimited as error:
            limited = error
        else:
            if idea is not None:
                messages.success(
                    request,
                    _(
                        "Thank you! Your idea has reference %(reference)s. We will let you know "
                        "by e-mail when something happens to it."
                    )
                    % {"reference": idea.reference},
                )
                return redirect(idea)
    else:
        initial, closed_challenge = _initial_challenge(request)
        form = IdeaSubmitForm(initial=initial, user=request.user)
    response = render(
        request,
        "ideas/idea_form.html",
        {
            "form": form,
            "closed_challenge": closed_challenge,
            "files_to_choose_again": form.chosen_file_names() if form.is_bound else [],
            "proposal_kind": IdeaKind.PROPOSAL,
            # Over a limit the form comes back as typed, with the message above it.
            "rate_limit_message": limited.message if limited else "",
        },
        status=429 if limited else 200,
    )
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


def _submit(request: HttpRequest, form: IdeaSubmitForm) -> Idea | None:
    """The idea submitted, or None with the form's errors set. Raises RateLimited.

    Two limits: a generous one on sending the form at all, which stops robots probing
    with invalid forms, and the real one on ideas accepted, which a person correcting a
    mistake never uses up. Every sending counts as an attempt; an accepted idea counts
    it in the same statement as the idea (see `counted_if_accepted`).
    """
    if not form.is_valid():
        check_rate_limit(request, "idea_submit_attempt")
        return None
    data = form.cleaned_data
    try:
        with counted_if_accepted(request, "idea_submit", attempt_scope="idea_submit_attempt"):
            return services.idea_submit(
                author=request.user,
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                kind=data["kind"],
                organisation=data.get("organisation"),
                challenge=data.get("challenge"),
                theme=data.get("theme"),
                tags=data["tags"],
                location=data["location"],
                attachments=data["attachments"],
                # Only asked when several municipalities take part (the form says so).
                municipality=data.get("municipality"),
            )
    except ValidationError as error:
        _add_service_errors(form, error)
        return None


def _initial_challenge(request: HttpRequest) -> tuple[dict[str, int], ChallengePage | None]:
    """The form's initial challenge from `?challenge=`, or the challenge if it is closed
    (the page then says so instead of offering it)."""
    challenge_id = parse_id(request.GET.get("challenge", ""))
    if challenge_id is None:
        return {}, None
    challenge = challenges_visible_to(request.user).filter(pk=challenge_id).first()
    if challenge is None:
        return {}, None
    if challenge.accepts_ideas:
        return {"challenge": challenge.pk}, None
    return {}, challenge


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def similar_ideas(request: HttpRequest) -> HttpResponse:
    """Public ideas like the title being typed (htmx fragment)."""
    text = (request.GET.get("title") or "").strip()
    ideas = []
    hints = ""
    if len(text) >= 4:
        ideas = similar.similar_ideas(text, limit=5, municipality=_idea_municipality_slug(request))
        # Apps above ideas add their own (solutions already found elsewhere).
        hints = extensions.render_form_hints(text, request)
    context = {"ideas": ideas, "text": text, "hints": hints}
    return render(request, "ideas/includes/similar.html", context)


def _idea_municipality_slug(request: HttpRequest) -> str | None:
    """The municipality the idea being written will belong to, as far as the form says
    (`ideas.routing.idea_municipality_id`): the site's own municipality on its
    hostname, else the challenge's, else the one chosen; None (the whole region) when
    it is not decided yet. At most one query."""
    own = site_municipality(request)
    if own is not None:
        return own.slug
    challenge_id = parse_id(request.GET.get("challenge"))
    if challenge_id is not None:
        return (
            challenges_visible_to(request.user)
            .filter(pk=challenge_id)
            .values_list("owning_unit__municipality__slug", flat=True)
            .first()
        )
    municipality_id = parse_id(request.GET.get("municipality"))
    if municipality_id is not None:
        return (
            Municipality.objects.active()
            .filter(pk=municipality_id)
            .values_list("slug", flat=True)
            .first()
        )
    return None


@require_GET
def tag_suggestions(request: HttpRequest) -> HttpResponse:
    """<option>s for the tags field's datalist: what is typed, with the last tag completed."""
    text = request.GET.get("tags", "")
    before, _sep, last = text.rpartition(",")
    last = last.strip()
    options = []
    if len(last) >= 2:
        prefix = f"{before.strip()}, " if before.strip() else ""
        options = [f"{prefix}{name}" for name in selectors.tag_names_like(last)]
    return render(request, "ideas/includes/tag_options.html", {"options": options})


# --- Author's controls --------------------------------------------------------------------


def _no_longer_changeable(idea: Idea) -> str:
    """Why the author can no longer edit or withdraw their idea, for the idea page.

    An author who follows an old link (or a page open since before review began) is
    sent back to the idea with this, rather than shown a bare "forbidden" page.
    """
    if idea.status == IdeaStatus.WITHDRAWN:
        return _("You have withdrawn the idea, so it can no longer be changed.")
    if idea.status != IdeaStatus.SUBMITTED:
        return _(
            "The municipality has started reviewing the idea, so it can no longer be changed. "
            "You can still follow it and see what happens here."
        )
    return _("You can no longer edit this idea.")


def _refuse_change(request: HttpRequest, idea: Idea, refusal: str) -> HttpResponse:
    """The author is sent back to their idea, told why it can no longer change; anyone
    else gets `refusal` as a 403."""
    if idea.author_id == request.user.pk:
        messages.info(request, _no_longer_changeable(idea))
        return redirect(idea)
    raise PermissionDenied(refusal)


@login_required
def idea_edit(request: HttpRequest, reference: str) -> HttpResponse:
    idea = viewable_idea(request, reference)
    if not permissions.can_edit(request.user, idea):
        return _refuse_change(request, idea, _("You can no longer edit this idea."))
    if request.method == "POST":
        form = IdeaEditForm(request.POST, idea=idea)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.idea_edit(
                    idea=idea,
                    by=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    description=data["description"],
                    tags=data["tags"],
                    location=data["location"],
                    theme=data.get("theme"),
                )
            except PermissionDenied:
                messages.error(request, _("You can no longer edit this idea."))
                return redirect(idea)
            messages.success(request, _("Your changes are saved."))
            return redirect(idea)
    else:
        form = IdeaEditForm(
            idea=idea,
            initial={
                "title": idea.title,
                "summary": idea.summary,
                "description": idea.description,
                "theme": idea.theme_id,
                "tags": ", ".join(tag.name for tag in idea.tags.all()),
                "location": idea.location,
            },
        )
    return render(request, "ideas/idea_edit.html", {"form": form, "idea": idea})


@require_POST
@login_required
def idea_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    idea = viewable_idea(request, reference)
    if not permissions.can_withdraw(request.user, idea):
        return _refuse_change(request, idea, _("You cannot withdraw this idea."))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long."))
        return redirect(idea)
    try:
        idea_transition(
            idea=idea,
            to=IdeaStatus.WITHDRAWN,
            by=request.user,
            public_reason=form.cleaned_data["reason"],
        )
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect(idea)
    messages.success(
        request,
        _("Your idea %(reference)s is withdrawn. It is no longer shown publicly.")
        % {"reference": idea.reference},
    )
    return redirect("ideas:mine")
