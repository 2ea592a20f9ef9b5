"""Pairs Ressources: the web platform of territorial platforms of peer workers in mental health."""
