"""Choosing at random so that the choice can be made again: every draw is made from a stored
seed (and a salt, such as the worker's id), never from the clock."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

SEED_MAX = 2**31 - 1


def new_seed() -> int:
    return secrets.randbelow(SEED_MAX) + 1


def seeded_sample(items: Sequence[T], k: int, *, seed: int, salt: object = "") -> list[T]:
    """``k`` of ``items`` (all of them when there are fewer), the same ones for the same seed,
    salt and items in the same order."""
    rng = random.Random(f"{seed}:{salt}")
    return rng.sample(list(items), min(k, len(items)))


def share_of(count: int, percent: int) -> int:
    """How many of ``count`` a share of ``percent`` asks for: rounded up, at least one of any."""
    if count <= 0 or percent <= 0:
        return 0
    return min(count, max(1, math.ceil(count * percent / 100)))
