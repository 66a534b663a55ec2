"""The sptui console."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from sptui.config import Config, ConfigError, config_path, load, resolve_credentials
from sptui.config.store import Loaded
from sptui.desk.desk import Desk

from .keys import APP_BINDINGS, all_bindings
from .screens.help import HelpScreen
from .screens.jobs import JobsScreen


class SptuiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "sptui"
    BINDINGS = APP_BINDINGS

    def __init__(self, session: Desk, config: Loaded | None = None) -> None:
        super().__init__()
        self.session = session
        self.config = config or Loaded(Config(), {}, config_path())
        if self.config.config.keys:
            self.set_keymap(dict(self.config.config.keys))

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables.

        Textual prints a traceback with every frame's locals, and those hold client secrets,
        refresh and access tokens and buyer data; the frames and the error are enough to act on.
        """
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        theme = self.config.config.settings.theme
        if theme:
            self.theme = theme
        for warning in self.config.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15, markup=False)
        self.push_screen(JobsScreen())

    def action_journal(self) -> None:
        from .screens.journal import JournalScreen

        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen())

    def action_resources(self) -> None:
        from .screens.resources import ResourcesScreen

        if not isinstance(self.screen, ResourcesScreen):
            self.push_screen(ResourcesScreen())

    def action_slot_finder(self) -> None:
        from .screens.slot_finder import SlotFinderScreen

        offerings: dict[tuple[str, str], str] = {}
        for screen in self.screen_stack:
            if isinstance(screen, JobsScreen):
                offerings.update(screen.feed.offerings)
        if not isinstance(self.screen, SlotFinderScreen):
            self.push_screen(SlotFinderScreen(offerings))

    def action_profiles(self) -> None:
        from .dialogs.profiles import ProfilePicker

        self.push_screen(ProfilePicker(self.config, self.session.profile), self._switch_to)

    def _switch_to(self, choice: str | None) -> None:
        from .dialogs.profiles import ADD

        if choice == ADD:
            self.action_add_profile()
        elif choice is not None:
            self.switch_session(choice)

    def action_add_profile(self) -> None:
        from .dialogs.profile_form import ProfileForm

        self.push_screen(ProfileForm(self.config.path), self._added)

    def _added(self, name: str | None) -> None:
        if name:
            try:
                self.config = load(self.config.path)
            except ConfigError as error:
                self.notify(str(error), title="Config", severity="error", markup=False)
                return
            self.switch_session(name)

    @work(exclusive=True, group="session")
    async def switch_session(self, name: str) -> None:
        """Open another profile (or "" for the demo) without restarting; the old one closes."""
        from sptui.desk.connect import session_for
        from sptui.desk.demo import demo_session

        try:
            if name:
                profile = self.config.config.profiles[name]
                # Resolving may run a password manager's command: keep it off the event loop.
                credentials = await asyncio.to_thread(resolve_credentials, name, profile)
                session = session_for(name, profile, self.config.config.settings, credentials)
            else:
                session, _ = demo_session()
        except ConfigError as error:
            self.notify(
                str(error),
                title="Could not switch profile",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        old, self.session = self.session, session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(JobsScreen())
        await old.client.aclose()
        self.notify(f"Now on {session.label} ({session.mode.value})", timeout=5)

    async def on_unmount(self) -> None:
        await self.session.client.aclose()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_bindings()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen in front, with its key."""
        seen: set[str] = set()
        for owner in (screen, *screen.query("VirtualTable, CapacityGrid"), self):
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
            "Add a profile…",
            "checked with Amazon, then written to config.toml",
            self.action_add_profile,
        )
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
