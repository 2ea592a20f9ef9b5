from pairs.platforms.permissions import public

DEMO_OUTBOX = public(
    "notifications.demo_outbox",
    "Boîte d'envoi de démonstration (mode démo seulement : 404 ailleurs)",
)
