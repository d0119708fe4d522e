"""Public and author-facing views for ideas.

Views validate input with a form and call a service; every action is a plain form
POST that redirects, and htmx requests get a fragment to swap in place instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from challenges.models import ChallengePage
from challenges.selectors import (
    ChallengeLink,
    can_see_challenge,
    challenge_links,
    challenges_visible_to,
)
from cms.routing import restriction_index
from ideas import fragments, permissions, selectors, services, similar
from ideas.attachments import file_response as attachment_file_response
from ideas.comments import comment_section
from ideas.counts import CountedPaginator
from ideas.forms import IdeaEditForm, IdeaFilterForm, IdeaSubmitForm, WithdrawForm
from ideas.models import Idea, IdeaKind, IdeaStatus, IdeaTag
from portal import versions
from portal.ids import parse_id
from portal.ratelimit import RateLimited, check_rate_limit, counted_if_accepted, rate_limit


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request wanting a fragment (history restores need the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _viewable_idea(request: HttpRequest, reference: str) -> Idea:
    idea = selectors.idea_for_viewer(reference, request.user)
    if idea is None:
        raise Http404
    return idea


def _public_idea_or_404(reference: str) -> Idea:
    return get_object_or_404(Idea.objects.public(), reference=reference)


def _wants_follow(request: HttpRequest, *, following: bool) -> bool:
    """An explicit action=follow/unfollow wins (no-JS forms); otherwise the POST toggles."""
    action = request.POST.get("action", "")
    return action == "follow" if action in {"follow", "unfollow"} else not following


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# --- List ---------------------------------------------------------------------------------


def _filter_fields(request: HttpRequest, form: IdeaFilterForm) -> str:
    """The filter form's fields as HTML, rendered once per language and query.

    The select lists show every challenge, theme and unit; rendering them through
    Django's widget templates costs more than the rest of the page. What they show
    depends only on the query (selected values, errors), the language, the names of
    challenges, themes and units, and which restricted challenges the person may see,
    so that is what the cache key is made of.
    """
    key = "idea-filters:" + versions.fingerprint(
        get_language(),
        sorted(request.GET.lists()),
        # The challenges offered depend on the restrictions that keep this person out.
        restriction_index().hidden_paths(request.user),
    )
    html = versions.cached(
        (versions.PAGES, versions.LABELS),
        key,
        lambda: render_to_string("ideas/includes/filter_fields.html", {"form": form}),
    )
    return mark_safe(html)  # rendered by our own template, escaped there


# What a page of the idea list shows: the ideas (support, comments, authors' names),
# the counts, the challenges the ideas answer.
LIST_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES)


@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET or None, user=request.user)
    canonical = form.canonical_query() if request.GET else None
    if canonical is not None:
        # An old link that named a theme or unit by id: the same list, under its slug.
        return HttpResponsePermanentRedirect(f"{request.path}?{canonical.urlencode()}")
    filters = form.filters() if request.GET else selectors.IdeaFilters()
    per_page = form.per_page_value() if request.GET else 20
    query = request.GET.copy()
    query.pop("page", None)
    is_htmx = _is_htmx(request)

    def render_results() -> tuple[str, str]:
        ideas = selectors.filter_ideas(selectors.public_idea_cards(), filters)
        page = CountedPaginator(ideas, per_page).get_page(request.GET.get("page"))
        page_ideas = selectors.attach_card_data(list(page.object_list))
        context = {
            "page_obj": page,
            "ideas": page_ideas,
            "supported_ids": selectors.supported_ids(
                request.user, [idea.pk for idea in page_ideas]
            ),
            "query_without_page": query.urlencode(),
            "is_htmx": is_htmx,
            "ignored_filters": form.ignored() if request.GET else [],
        }
        return (
            render_to_string("ideas/includes/list_count.html", context, request),
            render_to_string("ideas/includes/list_results.html", context, request),
        )

    if request.user.is_authenticated:
        # Marked with what this person supports: rendered for them (cards are cached).
        count_html, results_html = render_results()
    else:
        key = versions.fingerprint(
            "idea-list", get_language(), is_htmx, sorted(request.GET.lists())
        )
        count_html, results_html = versions.cached(LIST_VERSIONS, key, render_results)
    if is_htmx:
        response = HttpResponse(results_html)
    else:
        active_tag = (
            IdeaTag.objects.filter(slug=filters.tag_slug).first() if filters.tag_slug else None
        )
        context = {
            "form": form,
            "filter_fields": _filter_fields(request, form),
            "list_count": mark_safe(count_html),
            "list_results": mark_safe(results_html),
            "active_tag": active_tag,
            "tag_remove_query": urlencode(
                [(key, value) for key, value in query.lists() if key != "tag" for value in value]
            ),
        }
        response = render(request, "ideas/idea_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Detail -------------------------------------------------------------------------------


# What an idea page shows: the idea, its timeline, tags and comments (IDEAS), the
# challenge it answers (PAGES), the unit that owns it (LABELS).
DETAIL_VERSIONS = (versions.IDEAS, versions.PAGES, versions.LABELS)


@require_GET
def idea_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if request.user.is_authenticated:
        return _idea_detail(request, reference)
    # Nothing on the page is anyone's own, so it is rendered once per language and
    # cached until anything it shows changes; a merged idea's redirect (which leaves a
    # message in the visitor's session) is never cached.
    key = versions.fingerprint("idea-detail", reference, get_language(), request.get_full_path())
    page = versions.cached(
        DETAIL_VERSIONS,
        key,
        lambda: _anonymous_detail(request, reference),
        keep=lambda page: page["kind"] != "redirect",
    )
    if page["kind"] == "missing":
        raise Http404
    if page["kind"] == "redirect":
        return _idea_detail(request, reference)
    context = {
        "idea": page["head"],
        "detail_content": mark_safe(page["content"]),
    }
    return render(request, "ideas/idea_detail.html", context)


def _anonymous_detail(request: HttpRequest, reference: str) -> dict:
    try:
        response = _idea_detail(request, reference, render_content=True)
    except Http404:
        return {"kind": "missing"}
    if not isinstance(response, dict):
        return {"kind": "redirect"}
    return response


def _idea_detail(request: HttpRequest, reference: str, *, render_content: bool = False):
    idea = _viewable_idea(request, reference)
    if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
        messages.info(
            request,
            _("The idea %(reference)s was merged with this one, so the discussion continues here.")
            % {"reference": idea.reference},
        )
        return redirect(idea.merged_into)
    user = request.user
    public_events = list(selectors.public_events(idea))
    tags = list(IdeaTag.objects.filter(tagged_ideas__content_object=idea).order_by("name"))
    attachments = list(idea.attachments.order_by("pk"))
    challenge_link = _challenge_link(idea, user)
    comments = comment_section(idea, user)
    status_digest = fragments.idea_status_digest(idea, public_events)
    context = {
        "idea": idea,
        "challenge_link": challenge_link,
        "public_events": public_events,
        "has_supported": idea.has_supported,
        "is_following": idea.is_following,
        "can_edit": permissions.can_edit(user, idea),
        "can_withdraw": permissions.can_withdraw(user, idea),
        "withdraw_form": WithdrawForm(),
        "tags": tags,
        "attachments": attachments,
        "comment_section": comments,
        # Rendered parts are cached under a digest of what they show (ideas.fragments).
        "fragment_cache": fragments.FRAGMENT_CACHE,
        "fragment_ttl": fragments.FRAGMENT_TTL_SECONDS,
        "status_digest": status_digest,
    }
    if render_content:
        # The head of the page (title, description) needs only these.
        head = {"title": idea.title, "summary": idea.summary, "is_public": idea.is_public}
        content = render_to_string("ideas/includes/detail.html", context, request)
        return {"kind": "page", "head": head, "content": content}
    return render(request, "ideas/idea_detail.html", context)


def _challenge_link(idea: Idea, user) -> ChallengeLink | None:
    """Title and URL of the challenge the idea answers, if this person may see it.

    A published, public challenge comes from the cached links without reading its
    page; any other is read and shown only to those its restrictions let through.
    """
    if idea.challenge_id is None:
        return None
    link = challenge_links().get(idea.challenge_id)
    if link is None:
        challenge = idea.challenge
        if can_see_challenge(user, challenge):
            link = ChallengeLink(challenge.title, challenge.get_url() or "")
    return link


# --- Attachments --------------------------------------------------------------------------


@require_safe
def attachment_download(
    request: HttpRequest, reference: str, attachment_id: int, filename: str
) -> HttpResponse:
    """A file attached to an idea, for whoever may see the idea, checked on every request.

    The file name in the address is only for the browser's "save as"; the attachment
    is found by its idea and id. A merged idea's page sends people on to the idea it
    became part of, so its files are only for its author and the staff who act on it.
    """
    idea = _viewable_idea(request, reference)
    if not permissions.can_download_attachments(request.user, idea):
        raise Http404
    attachment = get_object_or_404(idea.attachments, pk=attachment_id)
    # Never kept by a shared cache: the file must go the moment the idea is withdrawn
    # or hidden. A public idea's file may stay a while in the visitor's own browser.
    cache_control = "private, max-age=600" if idea.is_public else "private, no-store"
    return attachment_file_response(attachment, cache_control=cache_control)


# --- Submit -------------------------------------------------------------------------------


@login_required
def idea_submit_view(request: HttpRequest) -> HttpResponse:
    closed_challenge = None
    limited: RateLimited | None = None
    if request.method == "POST":
        form = IdeaSubmitForm(request.POST, request.FILES, user=request.user)
        # Two limits: a generous one on sending the form at all, which stops robots
        # probing with invalid forms, and the real one on ideas accepted, which a
        # person correcting a mistake never uses up.
        try:
            check_rate_limit(request, "idea_submit_attempt")
        except RateLimited as error:
            limited = error
        if limited is None and form.is_valid():
            data = form.cleaned_data
            try:
                with counted_if_accepted(request, "idea_submit"):
                    idea = services.idea_submit(
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
                    )
            except RateLimited as error:
                limited = error
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
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
        initial = {}
        challenge_id = parse_id(request.GET.get("challenge", ""))
        if challenge_id is not None:
            challenge = challenges_visible_to(request.user).filter(pk=challenge_id).first()
            if challenge is not None and challenge.accepts_ideas:
                initial["challenge"] = challenge.pk
            elif challenge is not None:
                closed_challenge = challenge
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
    if len(text) >= 4:
        ideas = similar.similar_ideas(text, limit=5)
    return render(request, "ideas/includes/similar.html", {"ideas": ideas, "text": text})


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


@login_required
def idea_edit(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _viewable_idea(request, reference)
    if not permissions.can_edit(request.user, idea):
        if idea.author_id == request.user.pk:
            messages.info(request, _no_longer_changeable(idea))
            return redirect(idea)
        raise PermissionDenied(_("You can no longer edit this idea."))
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
    from ideas.actions import TransitionError, idea_transition

    idea = _viewable_idea(request, reference)
    if not permissions.can_withdraw(request.user, idea):
        if idea.author_id == request.user.pk:
            messages.info(request, _no_longer_changeable(idea))
            return redirect(idea)
        raise PermissionDenied(_("You cannot withdraw this idea."))
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


# --- Vote and follow ----------------------------------------------------------------------


@require_POST
@login_required
@rate_limit("vote")
def idea_vote(request: HttpRequest, reference: str) -> HttpResponse:
    """Toggle support. `action` may say "support" or "withdraw" explicitly, so a form sent
    twice (a double click, the back button) does not undo itself."""
    idea = _public_idea_or_404(reference)
    action = request.POST.get("action", "")
    supported = bool(selectors.supported_ids(request.user, [idea.pk]))
    want_support = (action == "support") if action in {"support", "withdraw"} else not supported
    error = ""
    try:
        if want_support:
            services.vote_cast(idea=idea, voter=request.user)
        else:
            services.vote_withdraw(idea=idea, voter=request.user)
        supported = want_support
    except services.VotingClosed as closed:
        error = closed.message
    # Both services set idea.support_count to the count they wrote under the row lock.
    if _is_htmx(request):
        return render(
            request,
            "ideas/includes/vote_response.html",
            {"idea": idea, "has_supported": supported, "vote_error": error, "announce": True},
        )
    if error:
        messages.error(request, error)
    elif supported:
        messages.success(request, _("Thank you for your support."))
    else:
        messages.success(request, _("Your support is withdrawn."))
    return redirect(_safe_next(request, idea.get_absolute_url()))


@require_POST
@login_required
def idea_follow(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _public_idea_or_404(reference)
    return _follow_toggle(
        request,
        following=bool(selectors.followed_ids(request.user, [idea.pk])),
        follow=lambda: services.follow_idea(user=request.user, idea=idea),
        unfollow=lambda: services.unfollow_idea(user=request.user, idea=idea),
        fragment=("ideas/includes/follow_response.html", {"idea": idea}),
        followed=_("You follow this idea and will get e-mail when it changes."),
        unfollowed=_("You no longer follow this idea."),
        back=idea.get_absolute_url(),
    )


@require_POST
@login_required
def follow_challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    # Private challenges cannot be followed: their followers would be e-mailed about
    # ideas they may not see.
    challenge = get_object_or_404(ChallengePage.objects.live().public(), pk=challenge_id)
    return _follow_toggle(
        request,
        following=selectors.follows_challenge(request.user, challenge),
        follow=lambda: services.follow_challenge(user=request.user, challenge=challenge),
        unfollow=lambda: services.unfollow_challenge(user=request.user, challenge=challenge),
        fragment=("ideas/includes/follow_challenge_response.html", {"challenge": challenge}),
        followed=_("You follow this challenge and will get e-mail about new ideas."),
        unfollowed=_("You no longer follow this challenge."),
        back=challenge.url or reverse("ideas:list"),
    )


def _follow_toggle(
    request: HttpRequest,
    *,
    following: bool,
    follow: Callable[[], object],
    unfollow: Callable[[], object],
    fragment: tuple[str, dict[str, Any]],
    followed: str,
    unfollowed: str,
    back: str,
) -> HttpResponse:
    """Follow or unfollow as the form asks; the new button (htmx) or a message and back."""
    want_follow = _wants_follow(request, following=following)
    (follow if want_follow else unfollow)()
    if _is_htmx(request):
        template, context = fragment
        return render(request, template, {**context, "is_following": want_follow, "announce": True})
    messages.success(request, followed if want_follow else unfollowed)
    return redirect(_safe_next(request, back))


# --- My page ------------------------------------------------------------------------------


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "my_ideas": list(selectors.ideas_by_author(user)),
        "supported_ideas": list(selectors.ideas_supported_by(user)[:100]),
        "followed_ideas": list(selectors.ideas_followed_by(user)[:100]),
        "followed_challenges": list(selectors.challenges_followed_by(user)),
    }
    return render(request, "ideas/my_page.html", context)
