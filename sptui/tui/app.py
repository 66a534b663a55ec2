"""The sptui console."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .screens.help import HelpScreen
from .screens.jobs import JobsScreen
from .session import Session


class SptuiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "sptui"
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        # Textual's footer shows the palette key on its own; this entry gives it an id to remap.
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands"),
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(JobsScreen())

    async def on_unmount(self) -> None:
        await self.session.client.aclose()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen in front, with its key."""
        seen: set[str] = set()
        for owner in (screen, *screen.query("VirtualTable"), self):
            for binding in getattr(type(owner), "BINDINGS", []):
                if (
                    not isinstance(binding, Binding)
                    or binding.action in seen
                    or binding.id in {"app.commands"}
                ):
                    continue
                seen.add(binding.action)
                keys = ", ".join(
                    self.get_key_display(Binding(k, binding.action)) for k in binding.key.split(",")
                )
                yield SystemCommand(
                    binding.description or binding.action,
                    f"key: {keys}",
                    partial(self.run_action, binding.action, owner),
                )
        yield SystemCommand("Jobs list", "go back to the list of jobs", self.go_to_jobs)
        yield SystemCommand(
            "Open a job by id…", "type or paste a service job id", self.open_job_by_id
        )
        yield from super().get_system_commands(screen)

    def go_to_jobs(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, JobsScreen):
            self.pop_screen()

    def open_job_by_id(self) -> None:
        self.go_to_jobs()
        if isinstance(self.screen, JobsScreen):
            self.screen.action_open_by_id()
