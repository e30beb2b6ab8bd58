"""Templated e-mail in the recipient's language, sent once the causing transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_on_commit(*, template: str, to: str, language: str, context: dict) -> None:
    """Render `<template>_subject.txt` / `<template>_body.txt` and send once the data is saved."""

    def _send() -> None:
        with translation.override(language):
            full = {**context, "site_url": settings.SITE_URL}
            subject = render_to_string(f"{template}_subject.txt", full).strip()
            body = render_to_string(f"{template}_body.txt", full)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])

    transaction.on_commit(_send)
