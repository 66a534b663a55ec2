"""Hostile strings in every job field the console shows: it never crashes, and nothing of them
that a terminal would obey (an escape or C1 control, a bidi override, a hyperlink) is drawn.

One console runs per test; Hypothesis draws examples in a worker thread and each example is
driven on the console's event loop, so an example costs a few requests and repaints, not an app
start.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from sptui.desk.store.rows import storable
from sptui.simulator import Simulator
from sptui.simulator.world import JobRecord
from sptui.spapi.models import ServiceJobStatus
from sptui.spapi.models.appointments import PoaType
from sptui.spapi.models.jobs import ItemStatus, LinkedAsset, ServiceLocationType
from sptui.tui.app import SptuiApp
from sptui.tui.dialogs.book import BookDialog
from sptui.tui.screens.appointment import AppointmentScreen
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.screens.journal import JournalScreen
from sptui.tui.text import clean
from sptui.tui.widgets.top_bar import TopBar
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, settle

HOSTILE = [
    "\x1b[31m",  # CSI: colour
    "\x1b[2J\x1b[H",  # CSI: clear the screen, cursor home
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x1b\\",  # OSC 8: a hyperlink...
    "\x1b]8;;\x1b\\",  # ...and its end
    "\x1bP+q544e\x1b\\",  # DCS: a terminal query
    "\x1b]0;title\x07",  # OSC 0: retitle the window
    "\x9b31m",  # C1 CSI
    "\x9d52;c;eA==\x9c",  # C1 OSC ... ST
    "\x1b",
    "\x07",
    "\x00",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "[b]",
    "[/]",
    "[/b]",
    "[link=https://evil.example]",
    "[@click=app.quit]",
    "[red on blue]",
    "[",
    "]",
    "\\[",
    ":smile:",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate ...
    "\u2067",
    "\u2068",
    "\u2069",  # ... pop directional isolate
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",  # zero width space
    "\u200d",  # zero width joiner
    "\ufeff",
    "全角",  # wide
    "👍🏽",
    "e\u0301",  # combining
    "\ud800",  # lone surrogates: JSON can carry them ("\ud800")
    "\udfff",
]
hostile = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), min_size=1, max_size=5
).map("".join)

FIELDS = [
    "job_id",
    "status",
    "title",
    "asin",
    "skill",
    "store",
    "city",
    "region",
    "street",
    "postal",
    "country",
    "phone",
    "buyer",
    "buyer_id",
    "location_type",
    "appointment_id",
    "technician",
    "technician_id",
    "proof_type",
    "uploader",
    "rescheduled",
    "item",
    "brand",
    "order",
    "item_status",
    "asset",
    "instrument",
    "currency",
    "service_order",
    "product_order",
    "tracking",
    "seller",
    "provider",
]
jobs_fields = st.fixed_dictionaries({name: hostile for name in FIELDS})

# Drawn characters a terminal would act on, or that reorder what is around them.
OBEYED = {"Cc", "Cf", "Cs"}
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def hostile_job(sim: Simulator, key: str, fields: dict[str, str]) -> str:
    """Put ``fields`` in every shown field of the job stored under ``key``; returns its new key
    (its new id, as the world keys jobs by id)."""
    record: JobRecord = sim.world.jobs.pop(key)
    job = record.job
    f = fields
    job.service_job_id = f["job_id"]
    job.service_job_status = ServiceJobStatus(f["status"])
    scope = job.scope_of_work
    assert scope is not None
    scope.title, scope.asin, scope.required_skills = f["title"], f["asin"], [f["skill"]]
    job.store_id = f["store"]
    location = job.service_location
    assert location is not None and location.address is not None
    address = location.address
    address.city, address.state_or_region, address.address_line1 = (
        f["city"],
        f["region"],
        f["street"],
    )
    address.postal_code, address.country_code, address.phone = f["postal"], f["country"], f["phone"]
    location.service_location_type = ServiceLocationType(f["location_type"])
    assert job.buyer is not None
    job.buyer.name, job.buyer.phone, job.buyer.buyer_id = f["buyer"], f["phone"], f["buyer_id"]
    appointment = record.active()
    assert appointment is not None and appointment.assigned_technicians and appointment.poa
    appointment.appointment_id = f["appointment_id"]
    appointment.rescheduled_appointment_id = f["rescheduled"]
    technician = appointment.assigned_technicians[0]
    technician.name, technician.technician_id = f["technician"], f["technician_id"]
    poa = appointment.poa
    poa.poa_type, poa.uploading_technician = PoaType(f["proof_type"]), f["uploader"]
    for proof_technician in poa.technicians or []:
        proof_technician.name = f["technician"]
    item = (job.associated_items or [])[0]
    item.title, item.brand_name, item.order_id = f["item"], f["brand"], f["order"]
    item.item_status = ItemStatus(f["item_status"])
    item.linked_assets = [LinkedAsset(asset_type=f["asset"], asset_name=f["asset"])]
    payment = (job.payments or [])[0]
    payment.instrument = f["instrument"]
    if payment.amount is not None:
        payment.amount.currency = f["currency"]
    job.service_order_id = f["service_order"]
    job.product_order_ids, job.tracking_ids = [f["product_order"]], [f["tracking"]]
    assert job.seller is not None and job.service_job_provider is not None
    job.seller.seller_id = f["seller"]
    job.service_job_provider.service_job_provider_id = f["provider"]
    sim.world.jobs[f["job_id"]] = record
    sim.world.touch(record)
    return f["job_id"]


def assert_inert(app: SptuiApp) -> None:
    strips = app.screen._compositor.render_strips()
    for strip in strips:
        for segment in strip:
            bad = {c for c in segment.text if unicodedata.category(c) in OBEYED}
            assert not bad, f"drawn: {sorted(map(hex, map(ord, bad)))} in {segment.text!r}"
            assert not (segment.style and segment.style.link), f"a hyperlink: {segment.text!r}"


def toast_texts(app: SptuiApp) -> list[str]:
    return [str(toast.render().plain) for toast in app.screen.query(Toast)]


def shown(widget: Static) -> str:
    return str(widget.render().plain)  # type: ignore[attr-defined]


def the_job(sim: Simulator) -> str:
    """The scheduled job with technicians, given the proof of a completed one (every field)."""
    records = list(sim.world.jobs.values())
    scheduled = next(
        r
        for r in records
        if r.status == ServiceJobStatus.NOT_SERVICED and r.active().assigned_technicians  # type: ignore[union-attr]
    )
    proof = next(a.poa for r in records for a in r.job.appointments or [] if a.poa)
    scheduled.active().poa = proof.model_copy(deep=True)  # type: ignore[union-attr]
    return scheduled.job_id


@dataclass
class Console:
    pilot: Pilot[Any]
    app: SptuiApp
    sim: Simulator
    key: str | None = None
    """The fuzzed job's id (the world keys jobs by id), renamed by each example."""

    def put(self, fields: dict[str, str]) -> str:
        self.key = hostile_job(
            self.sim, the_job(self.sim) if self.key is None else self.key, fields
        )
        return self.key


def fuzzed(
    body: Callable[[Console, dict[str, str]], Awaitable[None]],
    strategy: st.SearchStrategy[dict[str, str]] = jobs_fields,
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A test running ``body`` for each drawn example on one console, which must still be up."""

    async def test() -> None:
        app, sim = make_app(jobs=20)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            console = Console(pilot, app, sim)
            loop = asyncio.get_running_loop()

            @EXAMPLES
            @given(fields=strategy)
            def each(fields: dict[str, str]) -> None:
                done = asyncio.run_coroutine_threadsafe(body(console, fields), loop)
                done.result(timeout=120)

            await asyncio.to_thread(each)
            assert isinstance(app.screen, JobsScreen)

    return test


async def back_to_jobs(console: Console) -> None:
    console.app.clear_notifications()
    while not isinstance(console.app.screen, JobsScreen):
        console.app.pop_screen()
        await console.pilot.pause()


async def jobs_list_and_copy(console: Console, fields: dict[str, str]) -> None:
    key = console.put(fields)
    app, pilot = console.app, console.pilot
    screen = app.screen
    assert isinstance(screen, JobsScreen)
    screen.run_sync(True, False)  # a full refresh: the renamed job is listed, the old name gone
    await settle(pilot)
    table = screen.query_one(VirtualTable)
    keys = [r.key for r in table.rows]
    if not storable(key):  # no id at all: not stored, nothing could open or write it
        assert "" not in keys
        await back_to_jobs(console)
        return
    table.cursor = keys.index(storable(key))
    await pilot.press("y")
    await settle(pilot)
    assert_inert(app)
    assert f"Copied job id {clean(key)}" in toast_texts(app)
    await back_to_jobs(console)


async def job_appointment_and_book(console: Console, fields: dict[str, str]) -> None:
    key = console.put(fields)
    app, pilot = console.app, console.pilot
    # Opened by its own id, not the cleaned one the list shows (which Amazon would not know):
    # the job screen gets to draw the whole hostile job.
    app.push_screen(JobScreen(key))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, JobScreen)
    assert shown(screen.query_one(TopBar).query_one("#title", Static)) == f"Job {clean(key)}"
    assert_inert(app)
    if screen.job is not None:  # None when the id could not be sent (a lone surrogate, say)
        for keys in (("v",), ("y",), ("enter",)):  # revealed; copied; the appointment
            await pilot.press(*keys)
            await settle(pilot)
            assert_inert(app)
            if keys == ("y",):
                assert f"Copied job id {clean(key)}" in toast_texts(app)
        if isinstance(app.screen, AppointmentScreen):
            await pilot.press("y")
            await settle(pilot)
            assert_inert(app)
        app.push_screen(BookDialog(screen.job, UTC))
        await settle(pilot)
        assert_inert(app)
    await back_to_jobs(console)
    missing = clean(key) + "~missing"  # the simulator's not-found repeats the id
    app.push_screen(JobScreen(missing))
    await settle(pilot)
    assert_inert(app)
    if len(missing) <= 100:
        assert any(missing in t for t in toast_texts(app))
    await back_to_jobs(console)


journal_fields = st.fixed_dictionaries(
    {name: hostile for name in ("time", "outcome", "operation", "id", "profile", "request")}
)


async def journal(console: Console, fields: dict[str, str]) -> None:
    app, pilot = console.app, console.pilot
    app.session.journal.append(
        {
            "time": fields["time"],
            "profile": fields["profile"],
            "operation": fields["operation"],
            "ids": {"serviceJobId": fields["id"]},
            "outcome": fields["outcome"],
            "request_id": fields["request"],
        }
    )
    await pilot.press("J")
    await settle(pilot)
    assert isinstance(app.screen, JournalScreen)
    assert_inert(app)
    await back_to_jobs(console)


test_hostile_jobs_in_the_list_and_the_copy_toast = fuzzed(jobs_list_and_copy)
test_hostile_jobs_on_the_job_appointment_and_book_screens = fuzzed(job_appointment_and_book)
test_hostile_journal_entries = fuzzed(journal, journal_fields)
