"""A deterministic demo world: the same seed and size always give the same jobs.

Buyers, phones and addresses are obviously fictitious (555-01xx numbers, Example streets), so a
screenshot of the demo can never show a real person.

Its dates hang together as a real provider's would, whatever the clock: a job is created, its
item is delivered, and only then does an appointment (or a preferred time) fall, always on a
weekday; a completed appointment ended before now, with its proof uploaded after it; an active
one starts after now. The random draws are made in a fixed order and the times are fitted to these
rules afterwards, so that fitting them moves no id, status or service.

Its active appointments make a believable dispatch board (``_dispatch``, run after every job is
drawn and without drawing anything): each falls in a window the buyer preferred, with a
technician who serves the store, has the skills, works then and is not elsewhere; then a few
real conflicts of each kind are planted for a dispatcher to find (a technician in two places at
once, which their capacity of one also calls overbooked; a time outside the technician's
schedule; a technician lacking a skill; a time outside the buyer's preferred windows).
"""

from __future__ import annotations

import random
import string
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sptui.spapi.models import (
    Appointment,
    AppointmentTime,
    AvailabilityRecord,
    Reservation,
    ServiceJob,
)
from sptui.spapi.models import Technician as AssignedTechnician
from sptui.spapi.models.base import format_wire_datetime, utc_now

from .capacity import expand
from .world import Clock, JobRecord, Technician, World

# (title, required skills, duration in minutes)
SERVICES = [
    ('TV Wall Mounting, up to 65"', ["TV_MOUNTING"], 120),
    ("Dishwasher Installation", ["APPLIANCE_INSTALL", "PLUMBING"], 120),
    ("Ceiling Fan Installation", ["ELECTRICAL"], 120),
    ("Washer and Dryer Installation", ["APPLIANCE_INSTALL"], 120),
    ("Smart Thermostat Installation", ["ELECTRICAL", "HVAC"], 60),
    ("Home Theater Setup", ["AV_SETUP"], 120),
    ("Furniture Assembly, 2 hours", ["ASSEMBLY"], 120),
    ("Video Doorbell Installation", ["ELECTRICAL", "SMART_HOME"], 60),
    ("Garbage Disposal Installation", ["PLUMBING"], 60),
    ("Over-the-Range Microwave Installation", ["APPLIANCE_INSTALL", "ELECTRICAL"], 120),
]
PRODUCTS = [
    ("Fire TV Omni 65-inch", "Amazon"),
    ("Bosch 300 Series Dishwasher", "Bosch"),
    ("Hunter 52-inch Ceiling Fan", "Hunter"),
    ("LG Front Load Washer", "LG"),
    ("ecobee Smart Thermostat", "ecobee"),
    ("Sonos Arc Soundbar", "Sonos"),
    ("Sauder Bookcase", "Sauder"),
    ("Ring Video Doorbell", "Ring"),
    ("InSinkErator Disposal", "InSinkErator"),
    ("GE Microwave Oven", "GE"),
]
FIRST = ["Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Quinn", "Avery"]
LAST = ["Example", "Sample", "Demo", "Testington", "Placeholder", "Fictional", "Mockley"]
STREETS = ["Example St", "Sample Ave", "Demo Rd", "Placeholder Ln", "Fiction Blvd", "Test Way"]
MARKETS = {
    "ATVPDKIKX0DER": ("US", "USD", ["Springfield", "Riverton", "Fairview", "Lakeside"], "WA"),
    "A2EUQ1WTGCTBG2": ("CA", "CAD", ["Maple Creek", "Northfield"], "ON"),
    "A1F83G8C2ARO7P": ("GB", "GBP", ["Little Whinging", "Exampleton"], "Surrey"),
}
MARKET_WEIGHTS = [0.8, 0.1, 0.1]
STATUS_WEIGHTS = {
    "PENDING_SCHEDULE": 0.25,
    "NOT_SERVICED": 0.30,
    "COMPLETED": 0.20,
    "CANCELLED": 0.10,
    "HOLD": 0.06,
    "NOT_FULFILLABLE": 0.05,
    "PAYMENT_DECLINED": 0.04,
}
SLOT_HOURS = (8, 10, 12, 14, 16)
"""Appointment windows start at these UTC hours and last two hours."""
SELLER_ID = "A2SIMULATORSELLER"
PROVIDER_ID = "A3SIMULATORPROVIDER"
OTHER_SELLER_ID = "A2OTHERSIMSELLER"
OTHER_PROVIDER_ID = "A3OTHERSIMPROVIDER"
OTHER_PROVIDER_JOBS = 6


def _amazon_id(rng: random.Random, length: int = 13) -> str:
    return "A" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=length - 1))


def _uuid(rng: random.Random) -> str:
    h = "".join(rng.choices("0123456789abcdef", k=32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _weekday(day: date, *, back: bool = False) -> date:
    """The day itself on a weekday; a weekend day rolls on to Monday (or back to Friday)."""
    if day.weekday() < 5:
        return day
    return (
        day - timedelta(days=day.weekday() - 4) if back else day + timedelta(days=7 - day.weekday())
    )


def _slot_start(day: datetime, rng: random.Random, *, back: bool = False) -> datetime:
    # Weekends roll on to Monday (or, for a day in the past, back to Friday, so that it stays in
    # the past): every technician works weekdays (see _schedules), so every demo appointment can
    # be assigned to someone qualified.
    return datetime.combine(
        _weekday(day.date(), back=back), time(rng.choice(SLOT_HOURS)), tzinfo=day.tzinfo
    )


def _on_or_after(start: datetime, first: date) -> datetime:
    """``start``, or the same time of day on the first weekday from ``first`` if it is earlier."""
    if start.date() >= first:
        return start
    return datetime.combine(_weekday(first), start.timetz())


def build_world(
    seed: int = 1, jobs: int = 200, clock: Clock = utc_now, marketplaces: tuple[str, ...] = ()
) -> World:
    """A demo world; ``marketplaces`` limits where its jobs are (default: all three)."""
    now = clock().replace(microsecond=0)
    world, rng, stores, asins = _crew(seed, clock)
    _schedules(world, now)
    _reservations(world, rng, now)
    unknown = set(marketplaces) - set(MARKETS)
    if unknown:
        raise ValueError(
            f"no demo data for marketplace(s) {sorted(unknown)}; use {sorted(MARKETS)}"
        )
    weights = {
        m: w
        for m, w in zip(MARKETS, MARKET_WEIGHTS, strict=True)
        if not marketplaces or m in marketplaces
    }
    for n in range(jobs):
        record = _job(world, rng, n, now, stores, asins, weights)
        world.jobs[record.job_id] = record
    _dispatch(world, now)
    _other_provider(world, seed, now, weights)
    return world


def demo_technicians(seed: int = 1) -> dict[str, Technician]:
    """The technicians ``build_world(seed, ...)`` makes, without the rest of its world (a
    console whose demo world runs in another process names them from this)."""
    world, *_ = _crew(seed, utc_now)
    return world.technicians


def _crew(seed: int, clock: Clock) -> tuple[World, random.Random, dict[str, list[str]], list[str]]:
    """The world's first draws: its stores, ASINs and technicians (whatever the job count,
    they come first, so they are the same for every world of one seed)."""
    rng = random.Random(seed)
    world = World(clock=clock)
    stores = {m: [_uuid(rng) for _ in range(4 if m == "ATVPDKIKX0DER" else 2)] for m in MARKETS}
    asins = [
        "B0" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)) for _ in SERVICES
    ]
    _technicians(world, rng, stores)
    return world, rng, stores, asins


def _other_provider(world: World, seed: int, now: datetime, weights: dict[str, float]) -> None:
    """A second provider's jobs, which the demo credentials may not see or touch.

    Made last, from an RNG of their own and in a scratch world (its own id counter, no
    technicians), so that not one id, time or appointment of the first provider's world moves:
    the console's snapshots are drawn from it.
    """
    rng = random.Random(f"other-provider-{seed}")  # a str seed is hashed stably (SHA-512)
    stores = {m: [_uuid(rng) for _ in range(2)] for m in MARKETS}
    asins = [
        "B0" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)) for _ in SERVICES
    ]
    scratch = World(clock=world.clock)
    for n in range(OTHER_PROVIDER_JOBS):
        record = _job(
            scratch, rng, n, now, stores, asins, weights, OTHER_SELLER_ID, OTHER_PROVIDER_ID
        )
        if record.job_id not in world.jobs:
            world.other_provider_jobs[record.job_id] = record


def _technicians(world: World, rng: random.Random, stores: dict[str, list[str]]) -> None:
    n = 0
    for market, market_stores in stores.items():
        count = 12 if market == "ATVPDKIKX0DER" else 4
        crew = []
        for _ in range(count):
            n += 1
            trades = rng.sample(SERVICES, k=3)
            tech = Technician(
                resource_id=_amazon_id(rng),
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (tech {n})",
                skills=frozenset(skill for _, skills, _ in trades for skill in skills),
                store_ids=frozenset(rng.sample(market_stores, k=min(2, len(market_stores)))),
                marketplace_id=market,
            )
            crew.append(tech)
        # Every store offers every service through at least two technicians, so that every
        # demo job can be booked and assigned.
        for store in market_stores:
            local = [t for t in crew if store in t.store_ids]
            for _, skills, _ in SERVICES:
                able = [t for t in local if set(skills) <= t.skills]
                for tech in rng.sample(
                    [t for t in local if t not in able], k=max(0, 2 - len(able))
                ):
                    tech.skills = tech.skills | frozenset(skills)
        for tech in crew:
            world.technicians[tech.resource_id] = tech
    # Two that assignment must refuse, so the RESOURCES_* answers can be seen in the demo.
    extra = list(world.technicians.values())[:2]
    for tech, broken in zip(extra, ("background", "merchant"), strict=True):
        twin = Technician(
            resource_id=_amazon_id(rng),
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} ({broken} check)",
            skills=tech.skills,
            store_ids=tech.store_ids,
            marketplace_id=tech.marketplace_id,
            background_checked=broken != "background",
            registered=broken != "merchant",
        )
        world.technicians[twin.resource_id] = twin


def _schedules(world: World, now: datetime) -> None:
    first_day = datetime.combine(now.date() - timedelta(days=90), time(8), tzinfo=now.tzinfo)
    for tech in world.technicians.values():
        days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
        if sum(map(ord, tech.resource_id)) % 3 == 0:  # stable, unlike hash()
            days.append("SATURDAY")
        world.schedules[tech.resource_id] = [
            AvailabilityRecord.from_wire(
                {
                    "startTime": format_wire_datetime(first_day),
                    "endTime": format_wire_datetime(first_day.replace(hour=18)),
                    "recurrence": {
                        "endTime": format_wire_datetime(now + timedelta(days=400)),
                        "daysOfWeek": days,
                    },
                    "capacity": 1,
                }
            )
        ]


def _reservations(world: World, rng: random.Random, now: datetime) -> None:
    kinds = ["BREAK", "TRAINING", "VACATION", "TRAVEL"]
    for tech in list(world.technicians.values())[:6]:
        day = _weekday((now + timedelta(days=rng.randint(1, 10))).date())  # a working day
        hour = rng.choice((8, 12, 14))
        kind = rng.choice(kinds)
        # a vacation takes the whole working day (08:00-18:00, see _schedules)
        start = datetime.combine(day, time(8 if kind == "VACATION" else hour), tzinfo=now.tzinfo)
        hours = 10 if kind == "VACATION" else 2
        reservation_id = world.next_id("RES")
        world.reservations[reservation_id] = (
            tech.resource_id,
            Reservation.from_wire(
                {
                    "reservationId": reservation_id,
                    "type": kind,
                    "availability": {
                        "startTime": format_wire_datetime(start),
                        "endTime": format_wire_datetime(start + timedelta(hours=hours)),
                        "capacity": 1,
                    },
                }
            ),
        )


def _qualified(world: World, store: str, skills: list[str]) -> list[Technician]:
    return [
        t
        for t in world.technicians.values()
        if store in t.store_ids
        and set(skills) <= t.skills
        and t.registered
        and t.background_checked
    ]


def _job(
    world: World,
    rng: random.Random,
    n: int,
    now: datetime,
    stores: dict[str, list[str]],
    asins: list[str],
    weights: dict[str, float],
    seller_id: str = SELLER_ID,
    provider_id: str = PROVIDER_ID,
) -> JobRecord:
    market = rng.choices(list(weights), weights=list(weights.values()))[0]
    country, currency, cities, region = MARKETS[market]
    service = rng.randrange(len(SERVICES))
    title, skills, duration = SERVICES[service]
    product, brand = PRODUCTS[service]
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    created = now - timedelta(days=rng.uniform(0.2, 60), minutes=rng.randint(0, 59))
    created = created.replace(microsecond=0)
    store = rng.choice(stores[market])
    job_id = f"{rng.randint(10**13, 10**14 - 1)}"
    order_id = (
        f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}"
    )
    product_order = (
        f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}"
    )
    buyer = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    phone = f"+1 555-01{rng.randint(0, 99):02d}"
    delivery = created + timedelta(days=rng.randint(1, 5))
    # delivered within the promised window (08:00-20:00 that day)
    delivery = delivery.replace(hour=min(max(delivery.hour, 8), 19))
    preferred = _slot_start(now + timedelta(days=rng.randint(1, 14)), rng)
    job: dict[str, Any] = {
        "serviceJobId": job_id,
        "serviceJobStatus": status,
        "scopeOfWork": {
            "asin": asins[service],
            "title": title,
            "quantity": 1,
            "requiredSkills": skills,
        },
        "seller": {"sellerId": seller_id},
        "serviceJobProvider": {"serviceJobProviderId": provider_id},
        "preferredAppointmentTimes": [
            {"startTime": format_wire_datetime(preferred), "durationInMinutes": duration}
        ],
        "appointments": [],
        "serviceOrderId": order_id.replace("-", "")[:15],
        "productOrderIds": [product_order],
        "trackingIds": [f"TBA{rng.randint(10**11, 10**12 - 1)}"],
        "marketplaceId": market,
        "storeId": store,
        "buyer": {
            "buyerId": _amazon_id(rng),
            "name": buyer,
            "phone": phone,
            "isPrimeMember": rng.random() < 0.6,
        },
        "associatedItems": [
            {
                "asin": "B0" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)),
                "title": product,
                "quantity": 1,
                "orderId": product_order.replace("-", "")[:20],
                "brandName": brand,
                "linkedAssets": [
                    {"assetType": "MANUAL", "assetName": f"{product} installation guide"}
                ],
            }
        ],
        "serviceLocation": {
            "serviceLocationType": "IN_HOME",
            "address": {
                "name": buyer,
                "addressLine1": f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
                "city": rng.choice(cities),
                "stateOrRegion": region,
                "postalCode": f"{rng.randint(0, 99999):05d}" if country == "US" else "EX1 1MP",
                "countryCode": country,
                "phone": phone,
            },
        },
        "payments": [
            {
                "amount": {"value": rng.choice([79.0, 99.0, 129.0, 149.0]), "currency": currency},
                "instrument": "CREDIT_CARD",
            }
        ],
    }
    technicians = _qualified(world, store, skills)
    # The first day an appointment can fall: a working day after the item is delivered.
    ready = _weekday((delivery + timedelta(days=1)).date())
    entries, older = _appointments(world, rng, job_id, status, now, duration, technicians, ready)
    # A job completed before its item could have arrived was created that much earlier.
    created, delivery = created - older, delivery - older
    done = [e for e in entries if e["appointmentStatus"] == "COMPLETED"]
    if done:  # the buyer was served at the time they preferred
        job["preferredAppointmentTimes"][0]["startTime"] = done[0]["appointmentTime"]["startTime"]
    else:
        preferred = _on_or_after(preferred, ready - older)
        job["preferredAppointmentTimes"][0]["startTime"] = format_wire_datetime(preferred)
    job["createTime"] = format_wire_datetime(created)
    item = job["associatedItems"][0]
    item["itemStatus"] = "DELIVERED" if delivery < now else "SHIPPED"
    item["itemDelivery"] = {
        "estimatedDeliveryDate": format_wire_datetime(delivery),
        "itemDeliveryPromise": {
            "startTime": format_wire_datetime(delivery.replace(hour=8, minute=0, second=0)),
            "endTime": format_wire_datetime(delivery.replace(hour=20, minute=0, second=0)),
        },
    }
    record = JobRecord(ServiceJob.from_wire(job), updated=created)
    record.job.appointments = [Appointment.from_wire(e) for e in entries]
    record.fulfilled.update(e["appointmentId"] for e in done)
    # last touched by its latest appointment or proof before now, or else when it was created
    touched = [
        a.appointment_time.start_time for a in record.job.appointments or [] if a.appointment_time
    ]
    touched += [a.poa.upload_time for a in record.job.appointments or [] if a.poa]
    record.updated = max([created] + [t for t in touched if t is not None and t < now])
    return record


def _appointment(
    world: World,
    job_id: str,
    status: str,
    start: datetime,
    duration: int,
    techs: list[Technician],
    **extra: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "appointmentId": f"{job_id}_{world.next_id('')}",
        "appointmentStatus": status,
        "appointmentTime": {
            "startTime": format_wire_datetime(start),
            "durationInMinutes": duration,
        },
        **extra,
    }
    if techs:
        entry["assignedTechnicians"] = [
            {"technicianId": t.resource_id, "name": t.name} for t in techs
        ]
    return entry


def _appointments(
    world: World,
    rng: random.Random,
    job_id: str,
    status: str,
    now: datetime,
    duration: int,
    technicians: list[Technician],
    ready: date,
) -> tuple[list[dict[str, Any]], timedelta]:
    """The job's appointments, none before ``ready``; and how much older the job must be for
    a completed one to fit between its delivery and now (zero when it fits already)."""
    entries: list[dict[str, Any]] = []
    future = _on_or_after(_slot_start(now + timedelta(days=rng.randint(1, 14)), rng), ready)
    past = _slot_start(now - timedelta(days=rng.randint(1, 20)), rng, back=True)
    older = timedelta(days=max(0, (ready - past.date()).days))
    crew = rng.sample(technicians, k=1) if technicians else []
    if status == "NOT_SERVICED":
        if rng.random() < 0.2:  # moved once: the old appointment stays, cancelled
            before = future - timedelta(days=1)
            if before.weekday() >= 5 or before.date() < ready:  # moved earlier, then
                before = _on_or_after(future, _weekday(future.date() + timedelta(days=1)))
            old = _appointment(world, job_id, "CANCELLED", before, duration, [])
            entries.append(old)
            entries.append(
                _appointment(
                    world,
                    job_id,
                    "ACTIVE",
                    future,
                    duration,
                    crew if rng.random() < 0.6 else [],
                    rescheduledAppointmentId=old["appointmentId"],
                )
            )
        else:
            entries.append(
                _appointment(
                    world, job_id, "ACTIVE", future, duration, crew if rng.random() < 0.6 else []
                )
            )
    elif status == "COMPLETED":
        done = _appointment(world, job_id, "COMPLETED", past, duration, crew)
        done["poa"] = {
            "appointmentTime": {
                "startTime": format_wire_datetime(past),
                "durationInMinutes": duration,
            },
            "technicians": [{"technicianId": t.resource_id, "name": t.name} for t in crew] or None,
            "uploadTime": format_wire_datetime(past + timedelta(minutes=duration)),
            "poaType": rng.choice(["CUSTOMER_SIGNATURE", "POA_RECEIPT"]),
        }
        if not crew:
            del done["poa"]["technicians"]
        entries.append(done)
        return entries, older
    elif status == "CANCELLED" and rng.random() < 0.5:
        entries.append(_appointment(world, job_id, "CANCELLED", future, duration, []))
    return entries, timedelta(0)


# ---- the dispatch board -------------------------------------------------------------------------
PLANTED_EVERY = 15
"""One conflict of each kind per this many assigned appointments in a marketplace (at least one
of each where there are enough appointments to plant them in)."""
PLANTED_DAYS = 3
"""The conflicts go first to the first working days that hold appointments."""
_EVENING, _EARLY = 18, 6
"""Where an appointment outside the schedule (08:00-18:00) is planted: after hours, or before."""


def _window(start: datetime, minutes: int) -> dict[str, Any]:
    return {"startTime": format_wire_datetime(start), "durationInMinutes": minutes}


class _Dispatcher:
    """Who is where, as the demo provider's dispatcher has planned it so far."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self._hours: dict[tuple[str, date], list[tuple[datetime, datetime]]] = {}

    def working(self, rid: str, start: datetime, end: datetime) -> bool:
        """Scheduled for the whole of [start, end), and no reservation (a break, a vacation)."""
        key = (rid, start.date())
        if key not in self._hours:
            day = datetime.combine(start.date(), time(0), tzinfo=start.tzinfo)
            self._hours[key] = [
                (s, e)
                for record in self.world.schedules.get(rid, [])
                for s, e, _ in expand(record, day, day + timedelta(days=1))
            ]
        if not any(s <= start and end <= e for s, e in self._hours[key]):
            return False
        for owner, reservation in self.world.reservations.values():
            held = reservation.availability
            if owner != rid or held is None:
                continue
            if any(s < end and start < e for s, e, _ in expand(held, start, end)):
                return False
        return True

    def free(self, rid: str, start: datetime, end: datetime) -> bool:
        return self.working(rid, start, end) and not any(
            s < end and start < e for s, e in self.busy[rid]
        )

    def take(self, rid: str, start: datetime, end: datetime) -> None:
        self.busy[rid].append((start, end))

    def release(self, rid: str, start: datetime) -> None:
        self.busy[rid] = [(s, e) for s, e in self.busy[rid] if s != start]


def _facts(record: JobRecord) -> tuple[str, list[str], date]:
    """The job's store, required skills, and the day its item is delivered."""
    job = record.job
    skills = list(job.scope_of_work.required_skills or []) if job.scope_of_work else []
    items = job.associated_items or []
    delivery = items[0].item_delivery if items else None
    delivered = delivery.estimated_delivery_date if delivery else None
    return str(job.store_id), skills, delivered.date() if delivered else date.min


def _starts(first: datetime, ready: date) -> Iterator[datetime]:
    """Where an appointment may go, nearest the buyer's first choice first: that slot, the
    day's other slots, then the slots of the next working days."""
    day = first.date()
    for offset in range(6):
        if offset:
            day = _weekday(day + timedelta(days=1))
        hours = sorted(SLOT_HOURS, key=lambda h: abs(h - first.hour)) if not offset else SLOT_HOURS
        for hour in hours:
            start = datetime.combine(day, time(hour), tzinfo=first.tzinfo)
            if start.date() > ready:
                yield start


def _dispatch(world: World, now: datetime) -> None:
    """Fit each active appointment to the buyer and a technician, then plant a few conflicts.

    Draws nothing at random (ties go by load, then resource id), so no id, status or service
    of the world moves: only the active appointments' times and technicians, and the preferred
    windows of the buyers whose appointment could not go where they first asked.
    """
    for market in MARKETS:
        records = [r for r in world.jobs.values() if r.job.marketplace_id == market and r.active()]
        records.sort(key=lambda r: (_preferred_start(r), r.job_id))
        plan = _Dispatcher(world)
        assigned: list[JobRecord] = []
        planned_until = _weekday(now.date() + timedelta(days=1))
        for record in records:
            if _place(world, plan, record, planned_until):
                assigned.append(record)
        assigned.sort(key=lambda r: (_active_start(r), r.job_id))
        _plant(world, plan, assigned)


def _preferred_start(record: JobRecord) -> datetime:
    preferred = record.job.preferred_appointment_times or []
    start = preferred[0].start_time if preferred else None
    return start or _active_start(record)


def _active_start(record: JobRecord) -> datetime:
    appointment = record.active()
    assert appointment is not None and appointment.appointment_time is not None
    start = appointment.appointment_time.start_time
    assert start is not None
    return start


def _minutes(appointment: Appointment) -> int:
    time_ = appointment.appointment_time
    return (time_.duration_in_minutes if time_ else None) or 120


def _set(
    record: JobRecord, start: datetime, crew: list[Technician] | None, *, prefer: bool = True
) -> None:
    """Move the active appointment to ``start`` (and hand it to ``crew``, unless None); with
    ``prefer``, the buyer's preferred windows hold it (a second window if the first does not)."""
    appointment = record.active()
    assert appointment is not None
    minutes = _minutes(appointment)
    old_start = _active_start(record)
    appointment.appointment_time = AppointmentTime(start_time=start, duration_in_minutes=minutes)
    if crew is not None:
        appointment.assigned_technicians = [
            AssignedTechnician(technician_id=t.resource_id, name=t.name) for t in crew
        ] or None
    # the appointment it replaced, if any, was somewhere else
    for other in record.job.appointments or []:
        time_ = other.appointment_time
        if other is not appointment and time_ is not None and time_.start_time == start:
            moved = old_start if old_start != start else start + timedelta(days=1)
            other.appointment_time = AppointmentTime(
                start_time=datetime.combine(_weekday(moved.date()), moved.timetz()),
                duration_in_minutes=time_.duration_in_minutes,
            )
    if prefer and not _preferred(record, start, minutes):
        windows = record.job.preferred_appointment_times or []
        record.job.preferred_appointment_times = [
            *windows[:1],
            AppointmentTime(start_time=start, duration_in_minutes=minutes),
        ]


def _preferred(record: JobRecord, start: datetime, minutes: int) -> bool:
    end = start + timedelta(minutes=minutes)
    for window in record.job.preferred_appointment_times or []:
        begin = window.start_time
        length = timedelta(minutes=window.duration_in_minutes or 0)
        if begin is not None and begin <= start and end <= begin + length:
            return True
    return False


def _place(world: World, plan: _Dispatcher, record: JobRecord, planned_until: date) -> bool:
    """Book the appointment where the buyer asked, with a technician free then; True if one
    holds it. The next working day is fully planned; later ones are assigned as drawn. None
    free within a week: it waits, unassigned, at the buyer's time."""
    appointment = record.active()
    assert appointment is not None
    minutes = _minutes(appointment)
    first = _preferred_start(record)
    store, skills, delivered = _facts(record)
    if not appointment.assigned_technicians and first.date() > planned_until:
        _set(record, first, None)  # days ahead: it waits to be assigned, as a dispatcher would
        return False
    had = {t.technician_id for t in appointment.assigned_technicians or []}
    able = _qualified(world, store, skills)
    for start in _starts(first, delivered):
        end = start + timedelta(minutes=minutes)
        free = [t for t in able if plan.free(t.resource_id, start, end)]
        if free:
            tech = min(
                free,
                key=lambda t: (
                    t.resource_id not in had,
                    len(plan.busy[t.resource_id]),
                    t.resource_id,
                ),
            )
            plan.take(tech.resource_id, start, end)
            _set(record, start, [tech])
            return True
    _set(record, first, [])
    return False


def _plant(world: World, plan: _Dispatcher, assigned: list[JobRecord]) -> None:
    """A few real conflicts of each kind, among the earliest appointments (so the first days
    of the board show them): one of each kind per ``PLANTED_EVERY`` assigned appointments."""
    if len(assigned) < 5:
        return
    rounds = max(1, len(assigned) // PLANTED_EVERY)
    used: set[str] = set()
    planters = (_plant_overlap, _plant_unscheduled, _plant_skill, _plant_preference)
    # spread over the first working days (a week's board shows them): each day's first
    # appointment, then each day's second, ...; the later days after
    rank: dict[date, int] = defaultdict(int)
    order = []
    for record in assigned:
        day = _active_start(record).date()
        order.append((rank[day], day, record))
        rank[day] += 1
    first_days = sorted(rank)[:PLANTED_DAYS]
    order.sort(key=lambda o: (o[1] not in first_days, o[0], o[1]))
    spread = [record for _, _, record in order]
    for _ in range(rounds):
        for planter in planters:
            for record in spread:
                if record.job_id not in used and planter(world, plan, record, assigned, used):
                    break


def _tech_of(world: World, record: JobRecord) -> Technician:
    appointment = record.active()
    assert appointment is not None and appointment.assigned_technicians
    return world.technicians[str(appointment.assigned_technicians[0].technician_id)]


def _plant_overlap(
    world: World,
    plan: _Dispatcher,
    record: JobRecord,
    assigned: list[JobRecord],
    used: set[str],
) -> bool:
    """Give ``record`` to the technician of another appointment, at that appointment's time:
    that technician is then in two places at once (and, with a capacity of one, overbooked)."""
    store, skills, delivered = _facts(record)
    day = _active_start(record).date()
    nearest = sorted(assigned, key=lambda r: abs((_active_start(r).date() - day).days))
    for other in nearest:
        if other is record or other.job_id in used:
            continue
        tech = _tech_of(world, other)
        start = _active_start(other)
        if start.date() <= delivered or store not in tech.store_ids:
            continue
        if not set(skills) <= tech.skills:
            continue
        mine = _tech_of(world, record)
        plan.release(mine.resource_id, _active_start(record))
        _set(record, start, [tech])
        used.update((record.job_id, other.job_id))
        return True
    return False


def _plant_unscheduled(
    world: World,
    plan: _Dispatcher,
    record: JobRecord,
    assigned: list[JobRecord],
    used: set[str],
) -> bool:
    """Move the appointment after hours (or, if that runs past midnight, before them): the
    buyer asked for that time, the technician is not scheduled then."""
    start = _active_start(record)
    appointment = record.active()
    assert appointment is not None
    minutes = _minutes(appointment)
    tech = _tech_of(world, record)
    for hour in (_EVENING, _EARLY):
        moved = start.replace(hour=hour)
        end = moved + timedelta(minutes=minutes)
        if moved.date() != end.date() and end.time() != time(0):
            continue
        if not plan.working(tech.resource_id, moved, end) and not any(
            s < end and moved < e for s, e in plan.busy[tech.resource_id]
        ):
            plan.release(tech.resource_id, start)
            plan.take(tech.resource_id, moved, end)
            _set(record, moved, None)
            used.add(record.job_id)
            return True
    return False


def _plant_skill(
    world: World,
    plan: _Dispatcher,
    record: JobRecord,
    assigned: list[JobRecord],
    used: set[str],
) -> bool:
    """Hand the appointment to a technician of the same store who is free then but lacks one
    of the job's skills."""
    store, skills, _ = _facts(record)
    start = _active_start(record)
    appointment = record.active()
    assert appointment is not None
    end = start + timedelta(minutes=_minutes(appointment))
    lacking = sorted(
        (
            t
            for t in world.technicians.values()
            if store in t.store_ids
            and t.registered
            and t.background_checked
            and not set(skills) <= t.skills
            and plan.free(t.resource_id, start, end)
        ),
        key=lambda t: (len(plan.busy[t.resource_id]), t.resource_id),
    )
    if not lacking:
        return False
    plan.release(_tech_of(world, record).resource_id, start)
    plan.take(lacking[0].resource_id, start, end)
    _set(record, start, [lacking[0]])
    used.add(record.job_id)
    return True


def _plant_preference(
    world: World,
    plan: _Dispatcher,
    record: JobRecord,
    assigned: list[JobRecord],
    used: set[str],
) -> bool:
    """The buyer asked for the next working day: the appointment is not in any window of theirs."""
    start = _active_start(record)
    appointment = record.active()
    assert appointment is not None
    later = datetime.combine(_weekday(start.date() + timedelta(days=1)), start.timetz())
    record.job.preferred_appointment_times = [
        AppointmentTime(start_time=later, duration_in_minutes=_minutes(appointment))
    ]
    used.add(record.job_id)
    return True
