"""Forms of the crisis plans (split by area)."""
