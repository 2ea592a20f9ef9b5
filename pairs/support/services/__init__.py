"""Every write of direct support (split by area: intake, persons, meetings, groups, notes, space)."""
