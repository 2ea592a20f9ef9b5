"""Every write of the crisis plans (split by area: editor, sharing)."""
