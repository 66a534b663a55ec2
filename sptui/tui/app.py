"""The sptui console."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from sptui.desk.desk import Desk
from sptui.desk.opening import Opening

from .heap import settle_once
from .keys import APP_BINDINGS
from .screens.jobs import JobsScreen
from .text import clean, clean_lines
from .widgets.virtual_table import VirtualTable
from .writing import WRITES, writes_finished

if TYPE_CHECKING:  # the first frame comes before pydantic (config) and the journal load
    from sptui.config.store import Loaded
    from sptui.desk.journal import Journal
    from sptui.desk.store import JobStore
    from sptui.spapi.models import ServiceJob

Connect = Callable[[], "tuple[Loaded, Desk]"]
"""Builds the desk (reads and checks the config, resolves the secrets, builds the client):
blocking, so it runs on a thread after the first frame. Raises ConfigError."""


class SptuiApp(App[None]):
    CSS_PATH = "app.tcss"
    SUSPENDED_SCREEN_CLASS = "-covered"  # a screen another is on top of (app.tcss)
    TITLE = "sptui"
    BINDINGS = APP_BINDINGS

    offline: reactive[bool] = reactive(False)
    """The last sync could not reach Amazon (or Login with Amazon): browsing only."""
    RECONNECT = (5.0, 60.0)
    """Offline, the sync is tried again after 5 s, then twice as long each time, up to 60 s."""

    def __init__(
        self,
        session: Desk | Opening,
        config: Loaded | None = None,
        *,
        connect: Connect | None = None,
        keys: dict[str, str] | None = None,
        theme: str | None = None,
    ) -> None:
        """A console on a desk, or on an ``Opening`` whose desk ``connect`` builds after the
        first frame (``keys`` and ``theme`` then come from the quick read of the config)."""
        super().__init__()
        self.session: Desk | Opening = session
        self._config = config
        self._connect = connect
        self._theme = theme or (config.config.settings.theme if config else None)
        wanted = keys if keys is not None else dict(config.config.keys) if config else {}
        self._keys = wanted
        if wanted:
            self.set_keymap(wanted)
        self.checked_journals: set[Path] = set()
        self.store: JobStore | None = None
        """The job store the jobs list shows (opened on mount, closed on unmount)."""
        self.kept_here: dict[str, str] = {}
        """Job id -> its signature as this console last read it whole (after its own writes,
        say): the next sync does not mark it as changed unless it changed again since."""
        self.failure: str | None = None
        """Why the console stopped before it could work (a config problem found after the
        first frame); the caller prints it."""
        self.last_reached: datetime | None = None
        self._desk_ready = asyncio.Event()
        self._waiting: list[Callable[[], object]] = []

    # ---- the desk: ready at once, or built after the first frame --------------------------
    @property
    def config(self) -> Loaded:
        if self._config is None:
            from sptui.config import Config, config_path
            from sptui.config.store import Loaded

            self._config = Loaded(Config(), {}, config_path())
        return self._config

    @config.setter
    def config(self, loaded: Loaded) -> None:
        self._config = loaded

    @property
    def desk(self) -> Desk | None:
        return self.session if isinstance(self.session, Desk) else None

    @property
    def window_days(self) -> int:
        return self.session.window_days

    async def connected(self) -> Desk:
        """The desk, once it is built."""
        await self._desk_ready.wait()
        assert isinstance(self.session, Desk)
        return self.session

    def with_desk(self, act: Callable[[], object]) -> None:
        """Do ``act`` now if the desk is built, else as soon as it is (a key pressed in the
        moment between the first frame and the client being ready is not lost)."""
        if self.desk is not None:
            act()
            return
        if not self._waiting:
            self.notify("Connecting…", timeout=2)
        self._waiting.append(act)

    def keep_job(self, job: ServiceJob, asked: datetime) -> None:
        """A job read whole (a job screen, a write's read back) goes into the store, so the
        jobs list shows it as it was last read when the user comes back to it."""
        import sqlite3

        if self.store is None:
            return
        try:
            self.store.upsert([job], fetched_at=asked)
            kept = self.store.summary(str(job.service_job_id or ""))
        except sqlite3.Error as error:  # the read worked; only keeping it did not
            self.notify(
                f"The job store could not be written: {error}",
                title="Job store",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        if kept is not None:
            self.kept_here[kept.job_id] = kept.signature

    def _open_store(self) -> JobStore | None:
        if isinstance(self.session, Desk):
            return self.session.open_store(checked=False)
        return self.session.open_store()

    async def _connecting(self) -> None:
        """Build the desk on a thread (imports, config, secrets, client), then let what
        waits for it go on."""
        from sptui.config import ConfigError

        assert self._connect is not None
        try:
            loaded, desk = await asyncio.to_thread(self._connect)
        except ConfigError as error:
            self.failure = str(error)
            self.exit(return_code=2)
            return
        self._config = loaded
        if dict(loaded.config.keys) != self._keys:
            self._keys = dict(loaded.config.keys)
            self.set_keymap(self._keys)
        opening = self.session
        self.session = desk
        if isinstance(opening, Opening) and (
            opening.account != desk.account or opening.profile != desk.profile
        ):
            # The quick read named another store than the full one (or none): use the right one.
            old, self.store = self.store, desk.open_store(checked=False)
            if old is not None:
                old.close()
        self._became_ready()
        for warning in loaded.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15, markup=False)

    def _became_ready(self) -> None:
        assert isinstance(self.session, Desk)
        self.session.keeper = self.keep_job
        self._desk_ready.set()
        waiting, self._waiting = self._waiting, []
        for act in waiting:
            act()
        if self.store is not None:
            self.check_store(self.store)

    @work(group="store-check", exit_on_error=False)
    async def check_store(self, store: JobStore) -> None:
        """The integrity check the first frame did not wait for; a damaged file is moved
        aside, a new store started (the next sync fills it), and the user told."""
        from sptui.desk.store.location import check, open_store

        if store.path is None:
            return
        problem = await asyncio.to_thread(check, store.path)
        if problem is None or store is not self.store:
            return
        zone = store.zone
        store.close()
        self.store = await asyncio.to_thread(open_store, store.path, zone=zone)
        for note in self.store.notes:
            self.notify(note, title="Job store", severity="warning", timeout=20)
        jobs = self.jobs_screen()
        if jobs is not None:
            jobs.attach(self.store)
            jobs.run_sync(False, True)

    def jobs_screen(self) -> JobsScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, JobsScreen)), None)

    # ---- offline ----------------------------------------------------------------------
    def went_offline(self, error: BaseException) -> None:
        backend = self.desk.backend if self.desk is not None else None
        if backend is not None and not backend.alive():
            self.demo_world_gone("stopped")  # not Amazon: nothing answers for the demo world
            return
        if not self.offline:
            self.offline = True
            self.notify(
                f"Amazon cannot be reached ({clean(str(error))}). The stored jobs can be "
                "browsed; writes are refused until it can be. sptui keeps trying by itself.",
                title="Offline",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def demo_world_gone(self, why: str) -> None:
        """The demo world's own process failed (``why``: 'stopped', ...): build the world in
        this process instead, as it was at the start."""
        self.notify(
            f"The demo world's own process {why}; the demo now runs in the console's process, "
            "as it was at the start.",
            title="Demo",
            severity="warning",
            timeout=10,
        )
        self.switch_session("")

    def went_online(self) -> None:
        if self.offline:
            self.offline = False
            self.notify("Amazon can be reached again", title="Back online", timeout=5)

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
        if self._theme:
            self.theme = self._theme
        self.store = self._open_store()
        self.push_screen(JobsScreen())
        if self._connect is not None:
            # after the first frame: it waits for none of this
            self.call_after_refresh(self.run_worker, self._connecting(), group="session")
        else:
            for warning in self.config.warnings:
                self.notify(warning, title="Config", severity="warning", timeout=15, markup=False)
            self._became_ready()

    def action_journal(self) -> None:
        self.with_desk(self._journal)

    def _journal(self) -> None:
        from .screens.journal import JournalScreen

        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen())

    def action_resources(self) -> None:
        self.with_desk(self._resources)

    def _resources(self) -> None:
        from .screens.resources import ResourcesScreen

        if not isinstance(self.screen, ResourcesScreen):
            self.push_screen(ResourcesScreen())

    def action_board(self) -> None:
        from .screens.board import BoardScreen

        if not isinstance(self.screen, BoardScreen):
            self.push_screen(BoardScreen())

    def action_slot_finder(self) -> None:
        self.with_desk(self._slot_finder)

    def _slot_finder(self) -> None:
        from .screens.slot_finder import SlotFinderScreen

        jobs = self.jobs_screen()
        offerings = jobs.offerings() if jobs is not None else {}
        if not isinstance(self.screen, SlotFinderScreen):
            self.push_screen(SlotFinderScreen(offerings))

    def action_profiles(self) -> None:
        self.with_desk(self._profiles)

    def _profiles(self) -> None:
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
        self.with_desk(self._add_profile)

    def _add_profile(self) -> None:
        from .dialogs.profile_form import ProfileForm

        self.push_screen(ProfileForm(self.config.path), self._added)

    def _added(self, name: str | None) -> None:
        from sptui.config import ConfigError, load

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
        from sptui.config import ConfigError, resolve_credentials
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
        session.keeper = self.keep_job
        old_store, self.store = self.store, session.open_store(checked=False)
        self.offline = False
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(JobsScreen())
        if self.store is not None:
            self.check_store(self.store)
        await writes_finished(self)  # a write in flight still needs the old client
        if isinstance(old, Desk):
            await old.aclose()
            forget(old)  # a demo world's journal goes with it
        if old_store is not None:
            old_store.close()  # a demo world's store goes with it too
        self.notify(f"Now on {session.label} ({session.mode.value})", timeout=5)

    async def on_unmount(self) -> None:
        if isinstance(self.session, Desk):
            await self.session.aclose()
        elif self.session.backend is not None:  # closed before the desk was built
            await asyncio.to_thread(self.session.backend.stop)
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()

    @on(JobsScreen.Loaded)
    def jobs_loaded(self) -> None:
        """Start-up work waits for the first page of jobs to be painted, so it never delays it."""
        settle_once()
        if not isinstance(self.session, Desk):
            return
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
        from .keys import all_bindings
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_bindings()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen in front, with its key."""
        seen: set[str] = set()
        for owner in (screen, *screen.query("VirtualTable, CapacityGrid, BoardGrid"), self):
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
