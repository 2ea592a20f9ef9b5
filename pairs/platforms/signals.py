"""Signals other apps listen to, so that this app never imports them."""

from django.dispatch import Signal

# Sent with ``platform`` once a new platform exists (other apps seed their catalogues).
platform_created = Signal()
