from django.urls import path

from cocreation.views import staff

app_name = "cocreation_admin"

urlpatterns = [
    path("", staff.IndexView.as_view(), name="index"),
    path("new/", staff.ProcessCreateView.as_view(), name="process_new"),
    path("<id:pk>/", staff.ProcessView.as_view(), name="process"),
    path("<id:pk>/edit/", staff.ProcessEditView.as_view(), name="process_edit"),
    path("<id:pk>/meetings/new/", staff.MeetingCreateView.as_view(), name="meeting_new"),
    path("<id:pk>/inputs/new/", staff.FastInputView.as_view(), name="inputs_new"),
    path("<id:pk>/inputs/import/", staff.ImportView.as_view(), name="import"),
    path("<id:pk>/inputs/", staff.InputsView.as_view(), name="inputs"),
    path("<id:pk>/inputs/idea/", staff.IdeaFromInputsView.as_view(), name="idea_new"),
    path("<id:pk>/summaries/", staff.SummariesView.as_view(), name="summaries"),
    path("inputs/<id:pk>/answer/", staff.InputAnswerView.as_view(), name="input_answer"),
    path("inputs/<id:pk>/photo/", staff.InputPhotoView.as_view(), name="input_photo"),
    path("inputs/<id:pk>/undo/", staff.InputUndoView.as_view(), name="input_undo"),
    path("inputs/<id:pk>/moderate/", staff.InputModerationView.as_view(), name="input_moderate"),
    path("meetings/<id:pk>/", staff.MeetingView.as_view(), name="meeting"),
    path("meetings/<id:pk>/edit/", staff.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<id:pk>/cancel/", staff.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<id:pk>/attendance/", staff.AttendanceView.as_view(), name="attendance"),
    path(
        "meetings/<id:pk>/registrations/<id:registration>/cancel/",
        staff.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
]
