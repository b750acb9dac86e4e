"""Cases followed from record to record in the demo: what a case is discussed as at each stage
of its story, and a supervisee's caseload, whose cases close and open as sessions go by."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stage:
    """What was discussed about a case at one point of its story, and what was decided."""

    discussion: str
    decision: str
    rationale: str
    actions: tuple[str, ...] = ()


# The prompts of the Kolb cycle in Morrison's 4x4x4 model, as ``records.layout`` keys them.
KOLB_KEYS = ("experience", "reflection", "analysis", "action_plan")


@dataclass(frozen=True)
class CaseKind:
    labels: tuple[str, ...]
    stages: tuple[Stage, ...]
    # Kolb cycle (Morrison's 4x4x4): experience, reflection, analysis, action plan.
    reflection: tuple[str, str, str, str]
    prefix: str = "CF"


@dataclass(eq=False)
class Case:
    """One case on a supervisee's caseload, followed from record to record."""

    kind: CaseKind
    reference: str
    label: str
    stage: int = 0

    def next_stage(self) -> Stage:
        stage = self.kind.stages[min(self.stage, len(self.kind.stages) - 1)]
        self.stage += 1
        return stage


@dataclass
class Caseload:
    """A supervisee's open cases: they close after a few discussions and new ones come in."""

    kinds: tuple[CaseKind, ...]
    rng: random.Random
    open: list[Case] = field(default_factory=list)
    # Cases the story needs discussed whenever the supervisee has a session, until they close.
    pinned: list[Case] = field(default_factory=list)

    def new_case(self) -> Case:
        kind = self.rng.choice(self.kinds)
        digits = 5 if kind.prefix == "CPOMS" else 6
        low = 10 ** (digits - 1)
        reference = f"{kind.prefix}-{self.rng.randrange(low, 10 * low)}"
        return Case(kind, reference, self.rng.choice(kind.labels))

    def pick(self, count: int) -> list[Case]:
        """The cases to discuss in one session; finished ones close and new ones open."""
        self.open = [c for c in self.open if c.stage < len(c.kind.stages)]
        self.pinned = [c for c in self.pinned if c.stage < len(c.kind.stages)]
        while len(self.open) < max(count, 3):
            self.open.append(self.new_case())
        if count == 0:
            return []
        pinned = self.pinned[:count]
        others = [c for c in self.open if c not in pinned]
        return pinned + self.rng.sample(others, count - len(pinned))
