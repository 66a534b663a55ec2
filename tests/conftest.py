"""Fixtures every test gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .sim_helpers import CHECKERS


@pytest.fixture(autouse=True)
def answers_follow_the_schemas() -> Iterator[None]:
    """Any simulator answer a test received must validate against Amazon's schemas."""
    CHECKERS.clear()
    yield
    problems = [p for checker in CHECKERS for p in checker.problems]
    CHECKERS.clear()
    assert problems == [], problems[:5]
