"""One service job: everything Amazon says about it, and its appointments."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.flows.guard import read_answer
from sptui.desk.formatting import (
    NONE,
    appointment_label,
    money,
    status_label,
    technicians,
    when,
    window,
    word,
)
from sptui.spapi import SpApiError
from sptui.spapi.models import Appointment, ServiceJob

from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean, mask, mask_phone, plain
from ..widgets.section import section
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable
from ..writing import shown, writes

APPOINTMENT_COLUMNS = [
    Column("status", "Status", 10, priority=0),
    Column("when", "Time window", 22, priority=0),
    Column("technicians", "Technicians", 16, flex=True, priority=1),
    Column("poa", "Proof", 8, priority=2),
    Column("id", "Appointment ID", 30, priority=3),
]


def ids(values: list[str] | None) -> str:
    return ", ".join(clean(v) for v in values or []) or "—"


class JobScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="job.back"),
        Binding("y", "copy_id", "Copy", show=False, id="job.copy_id"),
        Binding("r", "refresh", "Refresh", show=False, id="job.refresh"),
        Binding("b", "book", "Book", id="job.book"),
        Binding("m", "move", "Move", tooltip="Reschedule the active appointment", id="job.move"),
        Binding(
            "a",
            "assign",
            "Assign",
            tooltip="Assign technicians to the active appointment",
            id="job.assign",
        ),
        Binding(
            "f",
            "fulfil",
            "Fulfil",
            tooltip="Set the active appointment's fulfillment data and proof documents",
            id="job.fulfil",
        ),
        Binding("x", "act('cancel')", "Cancel", id="job.cancel"),
        Binding("d", "act('complete')", "Done", id="job.complete"),
        # Last, so the first key a narrow footer lets go (the buyer's section says "v reveals").
        Binding("v", "reveal", "Reveal", id="job.reveal"),
        Binding("tab", "app.focus_next", "Scroll/table", show=False, id="job.focus_next"),
    ]
    DEFAULT_CSS = """
    JobScreen VerticalScroll { height: 1fr; padding: 0 1; }
    JobScreen #appointments { height: 2; margin-bottom: 1; }
    JobScreen .title { text-style: bold underline; }
    JobScreen #problem { color: $error; }
    """

    def __init__(self, job_id: str) -> None:
        super().__init__()
        self.job_id = job_id
        self.job: ServiceJob | None = None  # fetched on mount; the list keeps only summaries
        self.reads_shown = 0
        """How many reads of the job the desk had seen when it was last shown."""
        self.revealed = not self.app.session.mask_pii  # type: ignore[attr-defined]
        self.request_id = ""
        self.complete_after_read = False

    def compose(self) -> ComposeResult:
        yield TopBar(f"Job {clean(self.job_id)}")
        with VerticalScroll(id="details", can_focus=True):
            yield SteadyStatic(id="summary")
            yield Static("Appointments — enter opens one", classes="title")
            yield VirtualTable(APPOINTMENT_COLUMNS, empty="No appointments yet", id="appointments")
            yield SteadyStatic(id="more")
            yield SteadyStatic(id="problem")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_job()
        self.query_one("#appointments", VirtualTable).focus()

    @work(exclusive=True, group="job")
    async def refresh_job(self) -> None:
        self.query_one(TopBar).status = "loading…"
        try:
            answer = await read_answer(self.app.session, self.job_id)  # type: ignore[attr-defined]
        except SpApiError as error:
            report(self.app, error, f"Could not load job {clean(self.job_id)}")
            if self.job is None:
                self.query_one("#problem", Static).update(Text(describe(error)))
                for widget in self.query(".title, #appointments"):
                    widget.display = False
            self.query_one(TopBar).status = "failed"
            return
        self.job = answer.payload
        self.request_id = clean(answer.request_id)
        self.reads_shown = self.app.session.reads.get(self.job_id, 0)  # type: ignore[attr-defined]
        self.show()
        if self.complete_after_read:
            self.complete_after_read = False
            self.action_act("complete")
        read_at = self.app.session.clock().astimezone(self.app.session.zone)  # type: ignore[attr-defined]
        self.query_one(TopBar).status = f"read {read_at:%H:%M:%S}"

    def action_refresh(self) -> None:
        self.refresh_job()

    def on_screen_resume(self) -> None:
        """Back on this job (from its appointment, a dialog, the board): if it was read again
        meanwhile (a write's read back), show it as it is now."""
        if self.job is not None and self.app.session.reads.get(self.job_id, 0) != self.reads_shown:  # type: ignore[attr-defined]
            self.refresh_job()

    @writes
    def action_book(self) -> None:
        from sptui.desk.formatting import active_appointment

        from ..dialogs.book import BookDialog

        job = self._loaded()
        if job is None:
            return
        status = getattr(job.service_job_status, "value", job.service_job_status)
        if active_appointment(job) is not None:
            self.notify(
                "This job already has an active appointment: reschedule it instead.",
                severity="warning",
                timeout=6,
            )
            return
        if status not in ("PENDING_SCHEDULE", "NOT_SERVICED"):
            self.notify(
                f"Not possible: {status_label(status)} jobs cannot be booked.",
                severity="warning",
                timeout=6,
            )
            return
        zone = self.app.session.zone  # type: ignore[attr-defined]
        self.app.push_screen(BookDialog(job, zone, sent=self._sent))

    def _sent(self) -> None:
        """A write was sent from a dialog over this screen: show the job as it is now."""
        if shown(self):
            self.refresh_job()

    def _loaded(self) -> ServiceJob | None:
        """The job, or None after saying it could not be read (nothing can act on it)."""
        if self.job is None:
            self.notify(
                f"Job {clean(self.job_id)} is not loaded: r reads it again.",
                severity="warning",
                timeout=6,
            )
        return self.job

    def _active_appointment(self, verb: str) -> tuple[ServiceJob, Appointment] | None:
        """The job and its active appointment, or None after saying why there is none."""
        from sptui.desk.formatting import active_appointment

        if self._loaded() is None:
            return None
        appointment = active_appointment(self.job) if self.job else None
        if self.job is None or appointment is None:
            self.notify(
                f"This job has no active appointment to {verb}: book one (b).",
                severity="warning",
                timeout=6,
            )
            return None
        return self.job, appointment

    @writes
    def action_assign(self) -> None:
        from ..dialogs.assign import AssignDialog

        found = self._active_appointment("assign")
        if found is None:
            return
        job, appointment = found
        current = [
            t.technician_id for t in appointment.assigned_technicians or [] if t.technician_id
        ]
        time = appointment.appointment_time
        zone = self.app.session.zone  # type: ignore[attr-defined]
        title = f"Assign technicians · job {clean(self.job_id)} · {window(time.start_time if time else None, time.duration_in_minutes if time else None, zone)}"
        self.app.push_screen(AssignDialog(title, job, current, sent=self._sent))

    @writes
    def action_move(self) -> None:
        from ..dialogs.book import BookDialog

        found = self._active_appointment("move")
        if found is None:
            return
        job, appointment = found
        zone = self.app.session.zone  # type: ignore[attr-defined]
        self.app.push_screen(BookDialog(job, zone, moving=appointment, sent=self._sent))

    @writes
    def action_act(self, action: str) -> None:
        from sptui.desk.flows.close import preview_close
        from sptui.desk.formatting import active_appointment
        from sptui.desk.summary import summarize

        from ..dialogs.job_action import FULFIL_FIRST, ConfirmJobAction
        from .job_run import JobRun

        if self._loaded() is None or self.job is None:
            return
        planned = preview_close(action, [summarize(self.job, self.app.session.zone)])  # type: ignore[attr-defined]
        if not planned.send:
            self.notify(f"Not possible: {planned.skip[0][1]}", severity="warning", timeout=6)
            return
        active = active_appointment(self.job)
        missing_proof = action == "complete" and (active is None or active.poa is None)

        def confirmed(answer: str | None) -> None:
            if answer == FULFIL_FIRST:
                self.action_fulfil(then_complete=True)
            elif answer:
                reason = answer if action == "cancel" else None
                self.app.push_screen(
                    JobRun(action, list(planned.send), reason), lambda _: self.refresh_job()
                )

        self.app.push_screen(ConfirmJobAction(planned, missing_proof=missing_proof), confirmed)

    @writes
    def action_fulfil(self, then_complete: bool = False) -> None:
        from sptui.desk.flows.fulfilment import Fulfillment

        from ..dialogs.fulfillment import FulfillmentDialog
        from .fulfillment_run import FulfillmentRun

        found = self._active_appointment("set fulfillment data for")
        if found is None:
            return
        job, appointment = found
        status = getattr(job.service_job_status, "value", job.service_job_status)
        if status != "NOT_SERVICED":
            self.notify(
                f"Not possible: Amazon takes fulfillment data only for {status_label('NOT_SERVICED')} "
                f"jobs; this one is {status_label(status)}.",
                severity="warning",
                timeout=6,
            )
            return
        session = self.app.session  # type: ignore[attr-defined]
        time = appointment.appointment_time
        title = (
            f"Fulfillment data · job {clean(self.job_id)} · "
            f"{window(time.start_time if time else None, time.duration_in_minutes if time else None, session.zone)}"
        )
        assigned = [
            t.technician_id for t in appointment.assigned_technicians or [] if t.technician_id
        ]
        appointment_id = str(appointment.appointment_id)

        def ran(result: object) -> None:
            # on the way to completing: ask again once the job is read back, on fresh data
            self.complete_after_read = then_complete and getattr(result, "took_effect", False)
            self.refresh_job()

        def chosen(plan: Fulfillment | None) -> None:
            if plan is not None:
                self.app.push_screen(FulfillmentRun(self.job_id, appointment_id, plan), ran)

        self.app.push_screen(
            FulfillmentDialog(title, session.zone, assigned, session.clock()), chosen
        )

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self.show()

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(clean(self.job_id))
        self.notify(f"Copied job id {clean(self.job_id)}", timeout=3)

    # ---- rendering -----------------------------------------------------------------------
    def show(self) -> None:
        job = self.job
        if job is None:
            return
        zone = self.app.session.zone  # type: ignore[attr-defined]
        scope = job.scope_of_work
        self.query_one("#summary", Static).update(
            Group(
                section(
                    "Job",
                    [
                        ("Status", plain(status_label(job.service_job_status))),
                        ("Service", plain(scope.title if scope else "—")),
                        (
                            "ASIN · quantity",
                            plain(
                                f"{clean(scope.asin) if scope else '—'} · {scope.quantity if scope and scope.quantity else 1}"
                            ),
                        ),
                        (
                            "Required skills",
                            plain(", ".join(scope.required_skills or []) if scope else "—"),
                        ),
                        ("Created", when(job.create_time, zone)),
                        ("Preferred times", self._preferred(job)),
                    ],
                ),
            )
        )
        rows = [self._appointment_row(a) for a in reversed(job.appointments or [])]
        table = self.query_one("#appointments", VirtualTable)
        table.set_rows(rows)
        table.styles.height = min(len(rows), 6) + 1 if rows else 2
        source = f"Last read with request id {self.request_id}" if self.request_id else ""
        self.query_one("#more", Static).update(
            Group(
                self._buyer(job),
                self._location(job),
                self._items(job),
                self._orders(job),
                Text(source, style="dim"),
            )
        )

    def _preferred(self, job: ServiceJob) -> str:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        times = [
            window(t.start_time, t.duration_in_minutes, zone)
            for t in job.preferred_appointment_times or []
        ]
        return "\n".join(times) or "—"

    def _appointment_row(self, appointment: Appointment) -> Row:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        time = appointment.appointment_time
        status = clean(
            getattr(appointment.appointment_status, "value", appointment.appointment_status) or "?"
        )
        cells = (
            appointment_label(status),
            window(
                time.start_time if time else None,
                time.duration_in_minutes if time else None,
                zone,
                short=True,
            ),
            technicians(appointment),
            "yes" if appointment.poa else NONE,
            clean(appointment.appointment_id),
        )
        css = {"ACTIVE": "scheduled", "COMPLETED": "completed", "CANCELLED": "cancelled"}.get(
            status, "unknown"
        )
        return Row(clean(appointment.appointment_id), cells, css)

    def _buyer(self, job: ServiceJob) -> RenderableType:
        buyer = job.buyer
        hint = "" if self.revealed else "  (v reveals)"
        name = clean(buyer.name) if buyer and self.revealed else mask(buyer.name if buyer else None)
        phone = (
            clean(buyer.phone)
            if buyer and self.revealed
            else mask_phone(buyer.phone if buyer else None)
        )
        prime = "yes" if buyer and buyer.is_prime_member else "no"
        return section(
            "Buyer" + hint,
            [
                ("Name", name),
                ("Phone", phone),
                ("Prime member", prime),
                ("Buyer id", plain(buyer.buyer_id if buyer else "—")),
            ],
        )

    def _location(self, job: ServiceJob) -> RenderableType:
        location = job.service_location
        address = location.address if location else None
        kind = (
            clean(getattr(location.service_location_type, "value", "") if location else "") or "—"
        )
        if address is None:
            return section("Service location", [("Type", kind)])
        street = [
            clean(x)
            for x in (address.address_line1, address.address_line2, address.address_line3)
            if x
        ]
        lines = street if self.revealed else [mask(x, keep=0) for x in street]
        return section(
            "Service location",
            [
                ("Type", kind),
                ("Address", "\n".join(lines) or "—"),
                (
                    "City",
                    plain(
                        " ".join(clean(x) for x in (address.city, address.state_or_region) if x)
                        or "—"
                    ),
                ),
                (
                    "Postal code · country",
                    plain(
                        f"{clean(address.postal_code) if self.revealed else mask(address.postal_code, keep=0)} · {clean(address.country_code)}"
                    ),
                ),
                ("Phone", clean(address.phone) if self.revealed else mask_phone(address.phone)),
            ],
        )

    def _items(self, job: ServiceJob) -> RenderableType:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        pairs: list[tuple[str, RenderableType | str]] = []
        for item in job.associated_items or []:
            delivery = item.item_delivery
            promise = delivery.item_delivery_promise if delivery else None
            lines = [
                f"{clean(item.title)} ({clean(item.brand_name)})",
                f"ASIN {clean(item.asin)} · qty {item.quantity or 1} · {word(item.item_status)}",
                f"order {clean(item.order_id)}",
                f"delivery {when(delivery.estimated_delivery_date if delivery else None, zone)}",
            ]
            if promise and promise.start_time:
                lines.append(
                    f"promised {when(promise.start_time, zone)} – {when(promise.end_time, zone)}"
                )
            for asset in item.linked_assets or []:
                lines.append(f"asset {clean(asset.asset_type)}: {clean(asset.asset_name)}")
            pairs.append(("Item", Text("\n".join(lines))))
        return section("Associated items", pairs or [("Items", "—")])

    def _orders(self, job: ServiceJob) -> RenderableType:
        payments = (
            "\n".join(f"{money(p)} · {clean(p.instrument)}" for p in job.payments or []) or "—"
        )
        return section(
            "Orders and payment",
            [
                ("Service order", plain(job.service_order_id or "—")),
                ("Product orders", ids(job.product_order_ids)),
                ("Tracking ids", ids(job.tracking_ids)),
                (
                    "Marketplace · store",
                    plain(f"{clean(job.marketplace_id)} · {clean(job.store_id)}"),
                ),
                (
                    "Seller · provider",
                    plain(
                        f"{clean(job.seller.seller_id if job.seller else '—')} · {clean(job.service_job_provider.service_job_provider_id if job.service_job_provider else '—')}"
                    ),
                ),
                ("Payment", payments),
            ],
        )

    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        from .appointment import AppointmentScreen

        if self.job is None:
            return
        for appointment in self.job.appointments or []:
            if clean(appointment.appointment_id) == message.row.key:
                self.app.push_screen(AppointmentScreen(self.job, appointment))
                return
