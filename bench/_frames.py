"""Keypress latency as a user sees it: from the key event to the next frame Textual produces."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual import events
from textual.app import App


class FrameClock:
    """Notes when Textual hands a frame to the terminal driver, after encoding it as a terminal would."""

    def __init__(self, app: App[Any]) -> None:
        self.frames = 0
        self.console = Console(file=open("/dev/null", "w"), force_terminal=True, width=160)  # noqa: SIM115
        self.awaited: Callable[[], bool] | None = None
        """While set, each frame notes whether it shows what this says is done."""
        self.shown = False
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                if hasattr(renderable, "render_segments"):
                    renderable.render_segments(self.console)
                self.frames += 1
                if self.awaited is not None and self.awaited():
                    self.shown = True
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    async def latency(self, app: App[Any], key: str, character: str | None) -> float:
        def press() -> None:
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]  # as terminal input goes

        return await self.timed(press)

    async def until(
        self, app: App[Any], key: str, character: str | None, done: Callable[[], bool]
    ) -> float:
        """Milliseconds from the key event to the first frame drawn once ``done()`` holds:
        the frame that shows the key's effect, not merely the next one (2 s at most)."""
        self.awaited, self.shown = done, False
        started = time.perf_counter()
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
        while not self.shown:
            await asyncio.sleep(0)
            if time.perf_counter() - started > 2:
                break
        self.awaited = None
        return (time.perf_counter() - started) * 1000

    async def timed(self, act: Callable[[], object]) -> float:
        """Milliseconds from calling ``act`` to the next frame (2 s at most)."""
        before = self.frames
        started = time.perf_counter()
        act()
        while self.frames == before:
            await asyncio.sleep(0)
            if time.perf_counter() - started > 2:
                break
        return (time.perf_counter() - started) * 1000
