"""Forms of the events: the coordination's events and programmes (events.py), the public registration
(registration.py), attendance (attendance.py), the intervision circle (circle.py)."""
