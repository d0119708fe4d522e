"""Render e-mails from templates and queue them for sending after commit."""

from django.db import transaction
from django.template.loader import render_to_string

from portal.tasks import send_email


def queue_email(*, template: str, context: dict, to: list[str]) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` now, send after commit.

    Rendering happens immediately, in the active language of the request, so the
    e-mail speaks the language the person used when they acted.
    """
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=to))
