"""The deployment workflow: which step may follow which, as data."""

from __future__ import annotations

from .models import State

# Forward moves. "Abandon" is possible from any step that is not final (see can_abandon).
NEXT: dict[State, tuple[State, ...]] = {
    State.REQUEST: (State.ANALYSIS,),
    State.ANALYSIS: (State.PREREQUISITES,),
    State.PREREQUISITES: (State.SENSITISATION,),
    State.SENSITISATION: (State.ASSIGNMENT,),
    State.ASSIGNMENT: (State.INTEGRATION,),
    State.INTEGRATION: (State.ASSESSMENT,),
    State.ASSESSMENT: (State.RENEWAL, State.DIRECT_HIRE, State.ENDED),
    State.RENEWAL: (State.INTEGRATION, State.ENDED),
    State.DIRECT_HIRE: (State.ENDED,),
    State.ENDED: (),
    State.ABANDONED: (),
}

FINAL = frozenset({State.ENDED, State.ABANDONED})

# The main path, in order, for the timeline shown to coordinators and partners.
MAIN_PATH = [
    State.REQUEST,
    State.ANALYSIS,
    State.PREREQUISITES,
    State.SENSITISATION,
    State.ASSIGNMENT,
    State.INTEGRATION,
    State.ASSESSMENT,
]


def allowed_targets(state: State) -> tuple[State, ...]:
    targets = NEXT[state]
    if state not in FINAL:
        targets = (*targets, State.ABANDONED)
    return targets


def is_allowed(source: State, target: State) -> bool:
    return target in allowed_targets(source)
