"""The co-creation screens in the Wagtail admin: processes, meetings, inputs.

Staff of a process's organising unit (and admins) manage it; staff of other units see
only their own units' processes here. Views validate with a form and call a service;
a refusal from the service comes back as a message on the form, with everything typed.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.generic import TemplateView, View
from PIL import Image
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cocreation import forms, imports, permissions, selectors, services
from cocreation.models import Input, MeetingPoint, Process
from portal.actions import ActionNotAllowed, ActionPermissionDenied, refusal_message

IMPORT_SESSION_KEY = "cocreation_import_rows"


class WorkspaceMixin(WagtailAdminTemplateMixin):
    """Unit staff and admins only."""

    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not permissions.can_open_workspace(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("cocreation_admin:index"), "label": _("Co-creation")},
        ]


class ProcessMixin(WorkspaceMixin):
    """A view of one process, for those who manage it."""

    process: Process

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if permissions.can_open_workspace(request.user):
            process = Process.objects.select_related("organising_unit").filter(pk=kwargs["pk"])
            self.process = process.first() or _not_found()
            if not permissions.can_manage(request.user, self.process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.process.title

    def get_breadcrumbs_items(self):
        url = reverse("cocreation_admin:process", args=[self.process.pk])
        return [*super().get_breadcrumbs_items(), {"url": url, "label": self.process.title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(process=self.process, **kwargs)


class MeetingMixin(WorkspaceMixin):
    meeting: MeetingPoint

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if permissions.can_open_workspace(request.user):
            meetings = MeetingPoint.objects.select_related("process", "process__organising_unit")
            self.meeting = meetings.filter(pk=kwargs["pk"]).first() or _not_found()
            if not permissions.can_manage(request.user, self.meeting.process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.meeting.title

    def get_breadcrumbs_items(self):
        process = self.meeting.process
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("cocreation_admin:process", args=[process.pk]),
                "label": process.title,
            },
            {
                "url": reverse("cocreation_admin:meeting", args=[self.meeting.pk]),
                "label": self.meeting.title,
            },
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, process=self.meeting.process, **kwargs
        )


def _not_found() -> Any:
    raise Http404


def _refused(form, refusal: Exception) -> None:
    form.add_error(None, refusal_message(refusal))


def _partners(form) -> list:
    return list(form.cleaned_data.pop("partners", []))


# --- Processes ---------------------------------------------------------------------------


class IndexView(WorkspaceMixin, TemplateView):
    template_name = "cocreation/admin/index.html"
    page_title = gettext_lazy("Co-creation")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Co-creation")}]

    def get_context_data(self, **kwargs):
        processes = selectors.processes_managed_by(self.request.user)
        return super().get_context_data(processes=processes, **kwargs)


class ProcessCreateView(WorkspaceMixin, TemplateView):
    template_name = "cocreation/admin/form.html"
    page_title = gettext_lazy("New co-creation process")

    def get_context_data(self, form=None, **kwargs):
        form = form or forms.ProcessForm(units=forms.units_for(self.request.user))
        return super().get_context_data(form=form, submit_label=_("Create the process"), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.ProcessForm(request.POST, units=forms.units_for(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            partners = _partners(form)
            data.pop("partners", None)
            try:
                process = services.process_create(by=request.user, partners=partners, **data)
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The process “%s” was created.") % process.title)
                return redirect("cocreation_admin:process", process.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProcessView(ProcessMixin, TemplateView):
    template_name = "cocreation/admin/process.html"

    def get_breadcrumbs_items(self):
        return [
            *WorkspaceMixin.get_breadcrumbs_items(self),
            {"url": "", "label": self.process.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors.staff_meetings(self.process),
            inputs=selectors.recent_inputs(self.process),
            **kwargs,
        )


class EditMixin:
    """Edit the target in its form and save it through its update service; a refusal
    comes back as a message on the form, with everything typed."""

    template_name = "cocreation/admin/form.html"
    form_class: type[ModelForm]
    saved_message: str
    detail_url_name: str

    def target(self) -> Process | MeetingPoint:
        raise NotImplementedError

    def update(self, *, values: dict, partners: list) -> None:
        raise NotImplementedError

    def get_context_data(self, form=None, **kwargs):
        form = form or self.form_class(instance=self.target())
        return super().get_context_data(form=form, submit_label=_("Save"), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        target = self.target()
        form = self.form_class(request.POST, instance=target)
        if form.is_valid():
            partners = _partners(form)
            try:
                self.update(values=form.cleaned_data, partners=partners)
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _(self.saved_message))
                return redirect(self.detail_url_name, target.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProcessEditView(EditMixin, ProcessMixin, TemplateView):
    form_class = forms.ProcessForm
    saved_message = gettext_noop("The process was saved.")
    detail_url_name = "cocreation_admin:process"

    def target(self) -> Process:
        return self.process

    def update(self, *, values: dict, partners: list) -> None:
        services.process_update(
            process=self.process, by=self.request.user, values=values, partners=partners
        )


# --- Meetings ----------------------------------------------------------------------------


class MeetingCreateView(ProcessMixin, TemplateView):
    template_name = "cocreation/admin/form.html"

    def get_page_title(self):
        return _("New meeting point")

    def get_context_data(self, form=None, **kwargs):
        form = form or forms.MeetingForm()
        return super().get_context_data(
            form=form, submit_label=_("Add the meeting point"), **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.MeetingForm(request.POST)
        if form.is_valid():
            partners = _partners(form)
            try:
                meeting = services.meeting_create(
                    process=self.process,
                    by=request.user,
                    values=form.cleaned_data,
                    partners=partners,
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The meeting point was added."))
                return redirect("cocreation_admin:meeting", meeting.pk)
        return self.render_to_response(self.get_context_data(form=form))


class MeetingView(MeetingMixin, TemplateView):
    template_name = "cocreation/admin/meeting.html"

    def get_context_data(self, cancel_form=None, attendance_form=None, **kwargs):
        meeting = self.meeting
        counts = {row.group: row.count for row in meeting.attendance_counts.all()}
        attendance_form = attendance_form or forms.AttendanceForm(
            initial={"total": meeting.attendance_total, **counts}
        )
        return super().get_context_data(
            registrations=selectors.registrations_of(meeting),
            cancel_form=cancel_form or forms.CancelMeetingForm(),
            attendance_form=attendance_form,
            short_link=self.request.build_absolute_uri(
                reverse("cocreation:input", kwargs={"code": meeting.code})
            ),
            **kwargs,
        )


class MeetingEditView(EditMixin, MeetingMixin, TemplateView):
    form_class = forms.MeetingForm
    saved_message = gettext_noop("The meeting point was saved.")
    detail_url_name = "cocreation_admin:meeting"

    def target(self) -> MeetingPoint:
        return self.meeting

    def update(self, *, values: dict, partners: list) -> None:
        services.meeting_update(
            meeting=self.meeting, by=self.request.user, values=values, partners=partners
        )


class MeetingCancelView(MeetingView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.CancelMeetingForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_cancel(
                    meeting=self.meeting, by=request.user, notice=form.cleaned_data["notice"]
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(
                    request, _("The meeting was cancelled; those registered are told.")
                )
                return redirect("cocreation_admin:meeting", self.meeting.pk)
        return self.render_to_response(self.get_context_data(cancel_form=form))


class AttendanceView(MeetingView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.AttendanceForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_record(
                    meeting=self.meeting,
                    by=request.user,
                    total=form.cleaned_data["total"],
                    counts=form.counts(),
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect("cocreation_admin:meeting", self.meeting.pk)
        return self.render_to_response(self.get_context_data(attendance_form=form))


class RegistrationCancelView(MeetingView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        registration = self.meeting.registrations.filter(pk=kwargs["registration"]).first()
        if registration is None:
            raise Http404
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except (ActionNotAllowed, ActionPermissionDenied) as refusal:
            messages.error(request, refusal_message(refusal))
        else:
            messages.success(request, _("The registration was cancelled."))
        return redirect("cocreation_admin:meeting", self.meeting.pk)


# --- Inputs ------------------------------------------------------------------------------


class FastInputView(ProcessMixin, TemplateView):
    """Record inputs one after another. After each, the page comes back with the same
    meeting, group and channel chosen, the text field empty and focused, and a status
    message that screen readers announce."""

    template_name = "cocreation/admin/fast_input.html"

    def get_page_title(self):
        return _("Record inputs")

    def get_context_data(self, form=None, **kwargs):
        query = self.request.GET
        saved = Input.objects.filter(code=query.get("saved", ""), meeting__process=self.process)
        form = form or forms.FastInputForm(
            process=self.process,
            initial={
                "meeting": query.get("meeting"),
                "participant_group": query.get("group", ""),
                "channel": query.get("channel") or forms.InputChannel.STICKY_NOTE,
            },
        )
        return super().get_context_data(form=form, saved=saved.first(), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.FastInputForm(request.POST, request.FILES, process=self.process)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.input_record(
                    meeting=data["meeting"],
                    by=request.user,
                    data=services.InputData(
                        text=data["text"],
                        channel=data["channel"],
                        participant_group=data["participant_group"],
                        giver_name=data["giver_name"],
                        giver_email=data["giver_email"],
                    ),
                    photo=data["photo"],
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                query = urlencode(
                    {
                        "meeting": data["meeting"].pk,
                        "group": data["participant_group"],
                        "channel": data["channel"],
                        "saved": item.code,
                    }
                )
                url = reverse("cocreation_admin:inputs_new", args=[self.process.pk])
                # No #fragment: a targeted element would cancel the text field's autofocus.
                return redirect(f"{url}?{query}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportView(ProcessMixin, TemplateView):
    """Upload a spreadsheet, see every row checked, then import all of it or nothing."""

    template_name = "cocreation/admin/import.html"

    def get_page_title(self):
        return _("Import inputs")

    def get_context_data(self, form=None, **kwargs):
        form = form or forms.ImportForm(process=self.process)
        return super().get_context_data(form=form, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "confirm" in request.POST:
            return self._confirm(request)
        form = forms.ImportForm(request.POST, request.FILES, process=self.process)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_rows(
                process=self.process,
                name=upload.name,
                content=upload.read(),
                default_meeting=form.cleaned_data["meeting"],
            )
        except imports.UnreadableFile as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        failing = [row for row in rows if row.errors]
        self._remember(request, [] if failing else rows)
        context = self.get_context_data(form=form, rows=rows, failing=failing)
        return self.render_to_response(context, status=400 if failing else 200)

    def _remember(self, request: HttpRequest, rows: list[imports.ImportRow]) -> None:
        """Keep the checked rows in the session for the confirmation; a file with
        errors leaves nothing to confirm (not even an earlier file's rows)."""
        request.session.pop(IMPORT_SESSION_KEY, None)
        if rows:
            request.session[IMPORT_SESSION_KEY] = {
                "process": self.process.pk,
                "rows": [{"meeting": row.meeting.pk, **row.data.__dict__} for row in rows],
            }

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.get(IMPORT_SESSION_KEY) or {}
        if stored.get("process") != self.process.pk or not stored.get("rows"):
            messages.error(request, _("Upload the spreadsheet again: the preview has expired."))
            return redirect("cocreation_admin:import", self.process.pk)
        meetings = {meeting.pk: meeting for meeting in self.process.meetings.all()}
        rows = []
        for row in stored["rows"]:
            meeting = meetings.get(row.pop("meeting"))
            if meeting is None:
                messages.error(request, _("A meeting point was removed; upload the file again."))
                return redirect("cocreation_admin:import", self.process.pk)
            rows.append((meeting, services.InputData(**row)))
        try:
            created = services.inputs_import(process=self.process, by=request.user, rows=rows)
        except (ActionNotAllowed, ActionPermissionDenied) as refusal:
            messages.error(request, refusal_message(refusal))
            return redirect("cocreation_admin:import", self.process.pk)
        del request.session[IMPORT_SESSION_KEY]
        messages.success(
            request,
            ngettext(
                "%(count)d input was imported.", "%(count)d inputs were imported.", len(created)
            )
            % {"count": len(created)},
        )
        return redirect("cocreation_admin:process", self.process.pk)


# --- From inputs to ideas ------------------------------------------------------------------


class InputsView(ProcessMixin, TemplateView):
    """Every input of the process with its outcome: tick some, then sort them into a
    theme, attach them to an existing idea, or write a new idea from them."""

    template_name = "cocreation/admin/inputs.html"

    def get_page_title(self):
        return _("Sort inputs")

    def get_context_data(self, form=None, **kwargs):
        show_all = self.request.GET.get("show") == "all"
        return super().get_context_data(
            form=form or forms.InputsChoiceForm(process=self.process),
            inputs=selectors.inputs_to_sort(self.process, open_only=not show_all),
            show_all=show_all,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.InputsChoiceForm(request.POST, process=self.process)
        if form.is_valid():
            data = form.cleaned_data
            chosen = list(data["inputs"])
            if data["action"] == "idea":
                query = urlencode({"inputs": [item.pk for item in chosen]}, doseq=True)
                url = reverse("cocreation_admin:idea_new", args=[self.process.pk])
                return redirect(f"{url}?{query}")
            try:
                self._act(data, chosen)
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                return redirect("cocreation_admin:inputs", self.process.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _act(self, data: dict, chosen: list[Input]) -> None:
        if data["action"] == "sort":
            services.inputs_sort(
                process=self.process, by=self.request.user, inputs=chosen, theme=data["theme"]
            )
            messages.success(
                self.request,
                ngettext("%d input sorted.", "%d inputs sorted.", len(chosen)) % len(chosen),
            )
            return
        idea = services.idea_by_reference(data["reference"])
        if idea is None:
            raise ActionNotAllowed(_("There is no public idea with that reference."))
        services.inputs_attach(process=self.process, by=self.request.user, inputs=chosen, idea=idea)
        messages.success(
            self.request,
            _("The inputs are now part of the idea %(reference)s.") % {"reference": idea.reference},
        )


class IdeaFromInputsView(ProcessMixin, TemplateView):
    """Write a new idea from the chosen inputs, prefilled with their texts."""

    template_name = "cocreation/admin/idea_from_inputs.html"

    def get_page_title(self):
        return _("New idea from inputs")

    def get_context_data(self, form=None, **kwargs):
        if form is None:
            form = forms.IdeaFromInputsForm(process=self.process)
            chosen = list(
                form.fields["inputs"]
                .queryset.filter(pk__in=_ids(self.request.GET.getlist("inputs")))
                .order_by("created_at", "pk")
            )
            form.initial = {"inputs": chosen, **forms.idea_draft(chosen)}
        else:
            chosen = list(form.cleaned_data.get("inputs") or []) if form.is_bound else []
        return super().get_context_data(form=form, chosen=chosen, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.IdeaFromInputsForm(request.POST, process=self.process)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_from_inputs(
                    process=self.process,
                    by=request.user,
                    inputs=data["inputs"],
                    title=data["title"],
                    summary=data["summary"],
                    description=data["description"],
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(
                    request,
                    _("The idea %(reference)s was made from %(count)d inputs.")
                    % {"reference": idea.reference, "count": len(data["inputs"])},
                )
                return redirect("cocreation_admin:inputs", self.process.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


class InputAnswerView(WorkspaceMixin, TemplateView):
    """Answer one input directly; the answer shows on its receipt page."""

    template_name = "cocreation/admin/form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if permissions.can_open_workspace(request.user):
            inputs = Input.objects.select_related(
                "meeting", "meeting__process", "meeting__process__organising_unit"
            )
            self.item = inputs.filter(pk=kwargs["pk"]).first() or _not_found()
            self.process = self.item.meeting.process
            if not permissions.can_manage(request.user, self.process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Answer input %(code)s") % {"code": self.item.code}

    def get_breadcrumbs_items(self):
        url = reverse("cocreation_admin:inputs", args=[self.process.pk])
        return [*super().get_breadcrumbs_items(), {"url": url, "label": self.process.title}]

    def get_context_data(self, form=None, **kwargs):
        form = form or forms.AnswerForm(
            initial={"answer": self.item.answer, "text": self.item.answer_text}
        )
        return super().get_context_data(
            form=form, item=self.item, submit_label=_("Save the answer"), **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.input_answer(
                    item=self.item,
                    by=request.user,
                    answer=form.cleaned_data["answer"],
                    text=form.cleaned_data["text"],
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The input was answered."))
                return redirect("cocreation_admin:inputs", self.process.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- An input's photo, and undoing an input's outcome (codemo) -----------------------------


class InputMixin(WorkspaceMixin):
    """A view of one input, for those who manage its process (as `InputAnswerView`)."""

    item: Input

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if permissions.can_open_workspace(request.user):
            inputs = Input.objects.select_related(
                "meeting", "meeting__process", "meeting__process__organising_unit"
            )
            self.item = inputs.filter(pk=kwargs["pk"]).first() or _not_found()
            if not permissions.can_manage(request.user, self.item.meeting.process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# What the photo of a note may be sent as; Pillow checked the upload was an image, and
# the type sent is what Pillow read, never what the file's name says.
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class InputPhotoView(InputMixin, View):
    """The photo of an input's note, shown in the browser to the organising unit's staff.

    It may show handwriting, faces or names, so it lives in private storage and is
    never public: no receipt page, public page or export links it.
    """

    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        photo = self.item.photo
        if not photo or not photo.storage.exists(photo.name):
            raise Http404
        with photo.storage.open(photo.name, "rb") as file:
            try:
                with Image.open(file) as image:
                    content_type = PHOTO_TYPES.get(image.format or "")
            except (OSError, Image.DecompressionBombError):
                content_type = None
        if content_type is None:
            raise Http404
        response = FileResponse(
            photo.storage.open(photo.name, "rb"),
            filename=f"{self.item.code}{mimetypes.guess_extension(content_type) or ''}",
            content_type=content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Personal data: kept by no shared cache, nor by the browser after the visit.
        response["Cache-Control"] = "private, no-store"
        return response


class InputUndoView(InputMixin, View):
    """Take an input out of its idea, or withdraw its direct answer (a button on the
    inputs list)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        had_idea = self.item.idea_id is not None
        try:
            services.input_outcome_undo(item=self.item, by=request.user)
        except (ActionNotAllowed, ActionPermissionDenied) as refusal:
            messages.error(request, refusal_message(refusal))
        else:
            message = (
                _("Input %(code)s was taken out of its idea; it is open again.")
                if had_idea
                else _("The answer to input %(code)s was withdrawn; it is open again.")
            )
            messages.success(request, message % {"code": self.item.code})
        url = reverse("cocreation_admin:inputs", args=[self.item.meeting.process_id])
        return redirect(f"{url}?show=all")


# --- The public process page: moderation and "what we heard" ------------------------------


class InputModerationView(InputMixin, TemplateView):
    """Hide one input from the public pages with a reason, or show a hidden one again."""

    template_name = "cocreation/admin/moderate.html"

    @property
    def process(self) -> Process:
        return self.item.meeting.process

    def get_page_title(self):
        return _("Moderate input %(code)s") % {"code": self.item.code}

    def get_breadcrumbs_items(self):
        url = reverse("cocreation_admin:inputs", args=[self.process.pk])
        return [*super().get_breadcrumbs_items(), {"url": url, "label": self.process.title}]

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            form=form or forms.HideInputForm(), item=self.item, **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        back = f"{reverse('cocreation_admin:inputs', args=[self.process.pk])}?show=all"
        if self.item.is_hidden:
            try:
                services.input_show(item=self.item, by=request.user)
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                messages.error(request, refusal_message(refusal))
            else:
                messages.success(request, _("The input is shown again."))
            return redirect(back)
        form = forms.HideInputForm(request.POST)
        if form.is_valid():
            try:
                services.input_hide(
                    item=self.item, by=request.user, reason=form.cleaned_data["reason"]
                )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The input is hidden from the public pages."))
                return redirect(back)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SummariesView(ProcessMixin, TemplateView):
    """ "What we heard": staff sum up the inputs of each theme for the public page."""

    template_name = "cocreation/admin/form.html"

    def get_page_title(self):
        return _("What we heard")

    def _form(self, data=None) -> forms.SummariesForm:
        themes = selectors.themes_heard(self.process)
        known = {heard.theme.pk for heard in themes}
        # The process's own theme can be summed up before any input is sorted under it.
        if self.process.theme_id and self.process.theme_id not in known:
            themes.insert(
                0, selectors.ThemeHeard(theme=self.process.theme, input_count=0, summary="")
            )
        return forms.SummariesForm(data, themes=themes)

    def get_context_data(self, form=None, **kwargs):
        form = form or self._form()
        return super().get_context_data(
            form=form,
            submit_label=_("Save the summaries"),
            intro=_(
                "Shown on the public process page, each with the number of inputs under "
                "its theme. Sort inputs into themes first; empty a text to remove it."
            ),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                for name, theme in form.themes.items():
                    if name in form.changed_data:
                        services.theme_summary_write(
                            process=self.process,
                            by=request.user,
                            theme=theme,
                            text=form.cleaned_data[name],
                        )
            except (ActionNotAllowed, ActionPermissionDenied) as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The summaries were saved."))
                return redirect("cocreation_admin:process", self.process.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)
