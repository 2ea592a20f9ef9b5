"""Forms of the resources: the library (forms/library.py) and the job board (forms/jobs.py). They
parse input and give early French messages; the rules live in the services."""

from __future__ import annotations

from pairs.support.forms.common import DateInput, ServiceErrorsMixin

__all__ = ["DateInput", "ServiceErrorsMixin"]
