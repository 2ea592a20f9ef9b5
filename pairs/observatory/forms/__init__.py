"""Forms of the Observatoire."""
