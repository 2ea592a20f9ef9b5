"""Every write of the Observatoire."""
