"""Public co-creation pages: the process, a meeting with its registration form and
calendar file, cancelling a registration, and the short link for leaving an input.

Nothing here shows a registrant's or an input giver's name or e-mail: the pages read
meetings with seat counts only (`cocreation.selectors`). The forms that anyone may send
are rate-limited like the other public forms (`portal.ratelimit`).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocreation import charts, forms, ics, permissions, selectors, services
from cocreation.models import Registration, RegistrationStatus
from portal.actions import ActionNotAllowed, refusal_message
from portal.ratelimit import RateLimited, check_rate_limit


def _limited(request: HttpRequest, template: str, context: dict, error: RateLimited):
    response = render(
        request, template, {**context, "rate_limit_message": error.message}, status=429
    )
    response["Retry-After"] = str(error.retry_after)
    return response


# Inputs a page of the process page lists; a process gathers hundreds.
INPUTS_PER_PAGE = 30


@require_GET
def process_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The process in public: figures, meetings on a timeline, what we heard per theme,
    whom the inputs came from (charts with tables) and the inputs with their outcomes.
    Hidden inputs are in none of it; no one's name or e-mail is read."""
    process = selectors.public_process(slug)
    if process is None:
        raise Http404
    now = timezone.now()
    meetings = process.timeline
    reach = selectors.reach(process)
    paginator = Paginator(selectors.public_inputs(process), INPUTS_PER_PAGE)
    # The same public inputs were just counted for the charts; no second COUNT query.
    paginator.count = reach.total
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "cocreation/process.html",
        {
            "process": process,
            "now": now,
            "upcoming": [meeting for meeting in meetings if meeting.ends_at >= now],
            "past": [meeting for meeting in meetings if meeting.ends_at < now],
            "figures": selectors.process_figures(process, inputs=reach.total),
            "themes": selectors.themes_heard(process),
            "charts": [
                {
                    "id": "kind",
                    "title": _("Inputs by kind of meeting point"),
                    "dimension": _("Kind of meeting point"),
                    "chart": charts.bar_chart(reach.by_kind),
                },
                {
                    "id": "group",
                    "title": _("Inputs by participant group"),
                    "dimension": _("Participant group"),
                    "chart": charts.bar_chart(reach.by_group),
                },
            ],
            "inputs": [selectors.as_public_input(item) for item in page.object_list],
            "inputs_page": page,
        },
    )


def _viewable_meeting(request: HttpRequest, code: str):
    meeting = selectors.meeting_by_code(code)
    if meeting is None or not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def meeting_page(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _viewable_meeting(request, code)
    template = "cocreation/meeting.html"
    form = forms.RegistrationForm(request.POST or None)
    context = {"meeting": meeting, "process": meeting.process, "form": form}
    if request.method == "POST":
        if not meeting.takes_registrations:
            form.add_error(None, _("This meeting does not take registrations."))
            return render(request, template, context, status=400)
        try:
            check_rate_limit(request, "meeting_registration")
        except RateLimited as error:
            return _limited(request, template, context, error)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    meeting=meeting,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                )
            except ActionNotAllowed as refusal:
                form.add_error(None, refusal_message(refusal))
            else:
                return redirect(f"{meeting.get_absolute_url()}?registered={registration.status}")
        return render(request, template, context, status=400)
    registered = request.GET.get("registered", "")
    context["registered"] = registered if registered in RegistrationStatus.values else ""
    return render(request, template, context)


@require_GET
def meeting_ics(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _viewable_meeting(request, code)
    body = ics.meeting_calendar(
        meeting,
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.code}.ics"'
    return response


def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mails: a page that asks, and a button that cancels."""
    registration = (
        Registration.objects.select_related("meeting", "meeting__process")
        .filter(token=token)
        .first()
    )
    if registration is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ActionNotAllowed as refusal:
            error = refusal_message(refusal)
    return render(
        request,
        "cocreation/registration_cancel.html",
        {"registration": registration, "meeting": registration.meeting, "error": error},
    )


def input_view(request: HttpRequest, code: str) -> HttpResponse:
    """The meeting's short link: anyone with it may leave an input, logged in or not.

    The page names the meeting and its process, nothing more: a school visit's link
    is handed out on the day, and its details are not public.
    """
    meeting = selectors.meeting_by_code(code)
    if meeting is None or not meeting.process.is_published:
        raise Http404
    template = "cocreation/input.html"
    form = forms.ParticipantInputForm(request.POST or None)
    context = {"meeting": meeting, "process": meeting.process, "form": form}
    if request.method == "POST":
        try:
            check_rate_limit(request, "cocreation_input")
        except RateLimited as error:
            return _limited(request, template, context, error)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.input_leave(
                    meeting=meeting,
                    by=request.user,
                    data=services.InputData(
                        text=data["text"],
                        channel="",
                        participant_group=data["participant_group"],
                        giver_name=data["giver_name"],
                        giver_email=data["giver_email"],
                    ),
                )
            except ActionNotAllowed as refusal:
                form.add_error(None, refusal_message(refusal))
            else:
                return redirect(f"{request.path}?thanks={item.code}")
        return render(request, template, context, status=400)
    thanks = request.GET.get("thanks", "")[:12]
    # Only a real code makes a link: the page echoes nothing it did not issue.
    context["thanks"] = thanks if thanks.isalnum() else ""
    return render(request, template, context)


@require_GET
def receipt_page(request: HttpRequest, code: str) -> HttpResponse:
    """What became of one input, for anyone with its code; no one's name or e-mail."""
    found = selectors.receipt(code)
    if found is None:
        raise Http404
    return render(request, "cocreation/receipt.html", {"receipt": found})
