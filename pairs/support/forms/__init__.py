"""Forms of direct support (split by area)."""
