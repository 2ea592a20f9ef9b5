from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses connections, as an unreachable SMTP server would."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("refused")
