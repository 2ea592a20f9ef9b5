"""Writes of the resources: the library's documents (services/library.py) and the job board
(services/jobs.py)."""
