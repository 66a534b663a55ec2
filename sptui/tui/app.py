"""The sptui console."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from sptui.config import Config, ConfigError, config_path, load, resolve_credentials
from sptui.config.store import Loaded
from sptui.desk.desk import Desk
from sptui.desk.journal import Journal

from .heap import settle_once
from .keys import APP_BINDINGS, all_bindings
from .screens.help import HelpScreen
from .screens.jobs import JobsScreen
from .text import clean, clean_lines
from .widgets.virtual_table import VirtualTable
from .writing import WRITES, writes_finished


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
        self.checked_journals: set[Path] = set()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text, whatever ``markup`` a caller passes (a widget's
        notify passes True): most carry API strings, ids, Amazon's messages, request ids, and
        a '[/]' in one would crash the console or a '[b]' vanish from it."""
        super().notify(
            clean_lines(message),
            title=clean(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

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
        from sptui.desk.demo import is_builtin_demo

        from .dialogs.confirm import ConfirmWrite
        from .dialogs.profiles import ADD, DEMO

        if choice == ADD:
            self.action_add_profile()
        elif choice == DEMO and is_builtin_demo(self.session):
            # Choosing the demo again builds a fresh world: what was done in this one goes.
            self.push_screen(
                ConfirmWrite(
                    "Reset the demo world?",
                    "A fresh demo world replaces this one: the jobs as they were at the start, "
                    "and an empty journal. Every booking, cancel, reservation and schedule made "
                    "in this one is forgotten.",
                    "Reset",
                    hint="ctrl+s resets · esc keeps this world as it is",
                ),
                self._reset_demo,
            )
        elif choice is not None:
            self.switch_session(choice)

    def _reset_demo(self, yes: bool | None) -> None:
        from .dialogs.profiles import DEMO

        if yes:
            self.switch_session(DEMO)

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
        from sptui.desk.demo import demo_session, forget

        try:
            if name:
                profile = self.config.config.profiles[name]
                # Resolving may run a password manager's command: keep it off the event loop.
                credentials = await asyncio.to_thread(resolve_credentials, name, profile)
                session = session_for(name, profile, self.config.config.settings, credentials)
            elif self.session.rebuild is not None:
                session = self.session.rebuild()  # the same demo world, afresh
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
        await writes_finished(self)  # a write in flight still needs the old client
        await old.client.aclose()
        forget(old)  # a demo world's journal goes with it
        self.notify(f"Now on {session.label} ({session.mode.value})", timeout=5)

    async def on_unmount(self) -> None:
        await self.session.client.aclose()

    @on(JobsScreen.Loaded)
    def jobs_loaded(self) -> None:
        """Start-up work waits for the first page of jobs to be painted, so it never delays it."""
        settle_once()
        journal = self.session.journal
        if journal.path not in self.checked_journals:
            self.checked_journals.add(journal.path)
            self.check_journal(journal)

    @work(group="journal-check", exit_on_error=False)
    async def check_journal(self, journal: Journal) -> None:
        """Say which writes have no outcome in the journal: the disk was full, or sptui was
        killed, after they were sent. Each is then recorded as unknown, so it is said once."""
        from sptui.desk.journal import close_missing

        from .screens.journal import journal_time

        missing, error = await asyncio.to_thread(close_missing, journal)
        if not missing:
            return
        lines = [
            f"{clean(e.get('operation'))} "
            + " ".join(clean(v) for v in (e.get("ids") or {}).values())
            + f" ({clean(e.get('profile'))}, {journal_time(str(e.get('time')), self.session.zone)})"
            for e in missing[:5]
        ]
        if len(missing) > 5:
            lines.append(f"… and {len(missing) - 5} more")
        lines.append(
            "Sent, but no outcome was recorded (a full disk, or sptui stopped): read each back "
            "to see whether it was applied."
        )
        lines.append(
            f"Could not mark them unknown in the journal either: {error}"
            if error
            else "They are now marked unknown in the journal (J)."
        )
        self.notify(
            "\n".join(lines),
            title=f"{len(missing)} write(s) without an outcome in the journal",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A write that fails on a fault of sptui's own is said, not a crash that would cut
        off the other writes in flight; perform() has journalled it as unknown."""
        worker = event.worker
        if worker.group == WRITES and event.state == WorkerState.ERROR:
            self.log.error(worker.error)
            self.notify(
                f"{type(worker.error).__name__}: {worker.error}\nIts outcome is unknown: read it "
                "back (open the job or technician) to see whether it was applied.",
                title="A write stopped on an unexpected error",
                severity="error",
                timeout=30,
                markup=False,
            )

    @on(VirtualTable.ShowRow)
    def show_row(self, message: VirtualTable.ShowRow) -> None:
        from .dialogs.row_detail import RowDetail

        self.push_screen(RowDetail(message.fields))

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
