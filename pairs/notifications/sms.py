"""Text messages go through a pluggable provider, named by the SMS_BACKEND setting.

A provider is a class with a ``send(to, body)`` method that raises on failure (the job then
retries). ``OutboxBackend`` sends nothing: the message stays in the database, where the demo
outbox shows it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from pairs.core.text import international_phone


class SMSBackend:
    """The interface of an SMS provider."""

    def send(self, to: str, body: str) -> None:
        raise NotImplementedError


class OutboxBackend(SMSBackend):
    """Keeps the message in the database only: nothing leaves the server."""

    def send(self, to: str, body: str) -> None:
        return None


def get_backend() -> SMSBackend:
    """An instance of the provider named by the SMS_BACKEND setting."""
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend


def normalise_phone(value: str) -> str:
    """The number in international form (+33612345678), or "" when it cannot be one."""
    return international_phone(value)
