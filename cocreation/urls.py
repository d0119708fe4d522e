from django.urls import path

from cocreation.views import public

app_name = "cocreation"

urlpatterns = [
    path("cocreation/meetings/<str:code>/", public.meeting_page, name="meeting"),
    path("cocreation/meetings/<str:code>/calendar.ics", public.meeting_ics, name="meeting_ics"),
    path(
        "cocreation/registrations/<str:token>/cancel/",
        public.registration_cancel_view,
        name="registration_cancel",
    ),
    path("cocreation/<slug:slug>/", public.process_page, name="process"),
    # The short link on posters and QR codes, where participants leave an input.
    path("m/<str:code>/", public.input_view, name="input"),
    # An input's receipt: what became of it, for anyone with its code.
    path("innspill/<str:code>/", public.receipt_page, name="receipt"),
]
