"""The idea page, and the attachments it links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from challenges.selectors import (
    ChallengeLink,
    can_see_challenge,
    challenge_links,
)
from cms.regional import is_regional
from ideas import extensions, fragments, permissions, selectors
from ideas.attachments import file_response as attachment_file_response
from ideas.comments import comment_policy, comment_section
from ideas.forms import WithdrawForm
from ideas.models import Idea, IdeaStatus, IdeaTag
from ideas.views.common import viewable_idea

# --- Detail -------------------------------------------------------------------------------


@require_GET
def idea_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if request.user.is_authenticated:
        return _logged_in_detail(request, reference)
    page = fragments.anonymous_idea_page(
        request, reference, lambda: _anonymous_detail(request, reference)
    )
    if page["kind"] == "missing":
        raise Http404
    if page["kind"] == "redirect":
        return _idea_detail(request, reference)
    context = {
        "idea": page["head"],
        "detail_content": extensions.with_sections(page["content"], page["head"]["pk"], request),
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


def _logged_in_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The page as every citizen sees it, rendered once, with their own parts filled in.

    On a public idea whose challenge (if any) is public, the idea, the page and who
    wrote which comment come from the cache, and so does what is this person's own
    until it changes (`selectors.idea_page_marks`). Moderators (they see hidden
    comments and hide buttons), and everyone on any other idea's page, get the page
    rendered for them alone.
    """
    user = request.user
    page = fragments.citizen_idea_page(
        request, reference, lambda: _citizen_page(request, reference)
    )
    if page.idea is None or page.content is None:
        return _idea_detail(request, reference)
    idea = page.idea
    marks = selectors.idea_page_marks(user, idea)
    if comment_policy.can_hide(user, idea):
        return _idea_detail(request, reference)
    idea.has_supported, idea.is_following = marks.supported, marks.following
    context = {
        "idea": idea,
        "detail_content": extensions.with_sections(
            page.content.fill(_personal_slots(request, page, marks), csrf_token=get_token(request)),
            idea.pk,
            request,
        ),
    }
    return render(request, "ideas/idea_detail.html", context)


def _citizen_page(request: HttpRequest, reference: str) -> fragments.CitizenPage:
    """The idea and its page's content for "someone logged in", its personal parts
    marked as slots; neither when the page is not the same for every citizen.

    Rendered without the request's context processors and with a stand-in for the
    person, so nothing of whoever happens to ask first can get into it; the CSRF token
    is a placeholder `fill` replaces.
    """
    idea = selectors.idea_for_viewer(reference, AnonymousUser())
    if idea is None or not idea.is_public:
        return fragments.CitizenPage(None, None)
    if idea.challenge_id is not None and idea.challenge_id not in challenge_links():
        return fragments.CitizenPage(None, None)  # only some may see the challenge
    viewer = fragments.AnyCitizen()
    context = _detail_context(idea, viewer)
    context.update(
        user=viewer,
        request=request,  # for the forms' "next": its address, which is part of the key
        csrf_token=fragments.CSRF_PLACEHOLDER,
        personal_slots=True,
    )
    html = render_to_string("ideas/includes/detail.html", context)
    shown = [
        comment
        for node in context["comment_section"]["thread"]
        for comment in (node.comment, *node.replies)
    ]
    comments = {c.pk: (c.user_id, c.submit_date, c.text, c.is_hidden, c.is_deleted) for c in shown}
    return fragments.CitizenPage(idea, fragments.SlottedHTML.parse(html), comments)


@dataclass(frozen=True)
class _MarkedComment:
    """A comment whose controls are the viewer's own: what ideas/comments/actions.html
    shows of it."""

    pk: int
    user_id: int | None
    submit_date: datetime | None
    text: str
    is_hidden: bool
    is_deleted: bool
    flagged_by_me: bool = False


def _personal_slots(
    request: HttpRequest, page: fragments.CitizenPage, marks: selectors.IdeaPageMarks
) -> dict[str, str]:
    """This person's own parts of the idea page, where they differ from anyone's: their
    support, their follow, their idea's controls, and the controls under the comments
    they wrote or reported."""
    user, idea = request.user, page.idea
    context = {"idea": idea, "user": user, "request": request, "csrf_token": get_token(request)}
    slots = {}
    if marks.supported or idea.author_id == user.pk:
        slots["vote"] = render_to_string(
            "ideas/includes/vote_form.html", {**context, "has_supported": marks.supported}
        )
    if marks.following:
        slots["follow"] = render_to_string(
            "ideas/includes/follow_form.html", {**context, "is_following": True}
        )
    author_controls = _author_controls(context)
    if author_controls:
        slots["author"] = author_controls
    slots.update(_comment_slots(context, page, marks))
    return slots


def _author_controls(context: dict) -> str:
    """The edit and withdraw controls, if the person may use either ("" otherwise)."""
    user, idea = context["user"], context["idea"]
    can_edit, can_withdraw = permissions.can_edit(user, idea), permissions.can_withdraw(user, idea)
    if not (can_edit or can_withdraw):
        return ""
    return render_to_string(
        "ideas/includes/author_controls.html",
        {
            **context,
            "can_edit": can_edit,
            "can_withdraw": can_withdraw,
            "withdraw_form": WithdrawForm(),
        },
    )


def _comment_slots(
    context: dict, page: fragments.CitizenPage, marks: selectors.IdeaPageMarks
) -> dict[str, str]:
    """The controls under the comments this person wrote or reported, by comment."""
    user, idea = context["user"], context["idea"]
    marked = [
        _MarkedComment(pk, *values) for pk, values in page.comments.items() if values[0] == user.pk
    ] + [
        _MarkedComment(pk, None, None, "", False, False, flagged_by_me=True)
        for pk in sorted(marks.reported)
        if pk in page.comments and page.comments[pk][0] != user.pk
    ]
    if not marked:
        return {}
    section = {
        "is_open": comment_policy.comments_open(idea),
        "is_moderator": False,
        "edit_after": timezone.now() - comment_policy.edit_window(),
    }
    return {
        f"comment-{comment.pk}": render_to_string(
            "ideas/comments/actions.html", {**context, "comment": comment, "c": section}
        )
        for comment in marked
    }


def _idea_detail(request: HttpRequest, reference: str, *, render_content: bool = False):
    idea = viewable_idea(request, reference)
    if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
        messages.info(
            request,
            _("The idea %(reference)s was merged with this one, so the discussion continues here.")
            % {"reference": idea.reference},
        )
        return redirect(idea.merged_into)
    context = _detail_context(idea, request.user)
    if render_content:
        # The head of the page (title, description) needs only these.
        head = {
            "pk": idea.pk,
            "title": idea.title,
            "summary": idea.summary,
            "is_public": idea.is_public,
        }
        content = render_to_string("ideas/includes/detail.html", context, request)
        return {"kind": "page", "head": head, "content": content}
    context["idea_sections"] = extensions.render_sections(idea.pk, request)
    return render(request, "ideas/idea_detail.html", context)


def _detail_context(idea: Idea, user) -> dict:
    """What ideas/includes/detail.html shows `user` (the person, or a stand-in)."""
    public_events = list(selectors.public_events(idea))
    regional = is_regional()
    return {
        "idea": idea,
        "challenge_link": _challenge_link(idea, user),
        "public_events": public_events,
        "has_supported": idea.has_supported,
        "is_following": idea.is_following,
        "can_edit": permissions.can_edit(user, idea),
        "can_withdraw": permissions.can_withdraw(user, idea),
        "withdraw_form": WithdrawForm(),
        "tags": list(IdeaTag.objects.filter(tagged_ideas__content_object=idea).order_by("name")),
        "attachments": list(idea.attachments.order_by("pk")),
        "comment_section": comment_section(idea, user),
        # Rendered parts are cached under a digest of what they show (ideas.fragments).
        "fragment_cache": fragments.FRAGMENT_CACHE,
        "fragment_ttl": fragments.FRAGMENT_TTL_SECONDS,
        "status_digest": fragments.idea_status_digest(idea, public_events, regional),
        # In a region, answers say which municipality gave them (joint challenges).
        "regional": regional,
    }


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
    idea = viewable_idea(request, reference)
    if not permissions.can_download_attachments(request.user, idea):
        raise Http404
    attachment = get_object_or_404(idea.attachments, pk=attachment_id)
    # Never kept by a shared cache: the file must go the moment the idea is withdrawn
    # or hidden. A public idea's file may stay a while in the visitor's own browser.
    cache_control = "private, max-age=600" if idea.is_public else "private, no-store"
    return attachment_file_response(attachment, cache_control=cache_control)
