"""Writes of the events: the coordination's events and programmes (events.py), registrations and the
waiting list (registrations.py), attendance and certificates (attendance.py), feedback questionnaires
(feedback.py), the intervision circle (circle.py)."""
