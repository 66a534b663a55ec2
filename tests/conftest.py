"""Fixtures every test gets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(autouse=True)
def private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Job stores (and anything else under the state directory) go to a folder of the test's
    own: a console on a real profile keeps a store, and it must not land in the user's."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state
