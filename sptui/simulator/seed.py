"""A deterministic demo world: the same seed and size always give the same jobs.

Buyers, phones and addresses are obviously fictitious (555-01xx numbers, Example streets), so a
screenshot of the demo can never show a real person.

Its dates hang together as a real provider's would, whatever the clock: a job is created, its
item is delivered, and only then does an appointment (or a preferred time) fall, always on a
weekday; a completed appointment ended before now, with its proof uploaded after it; an active
one starts after now. The random draws are made in a fixed order and the times are fitted to these
rules afterwards, so that fitting them moves no id, status or service.
"""

from __future__ import annotations

import random
import string
from datetime import date, datetime, time, timedelta
from typing import Any

from sptui.spapi.models import Appointment, AvailabilityRecord, Reservation, ServiceJob
from sptui.spapi.models.base import format_wire_datetime, utc_now

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
    rng = random.Random(seed)
    now = clock().replace(microsecond=0)
    world = World(clock=clock)
    stores = {m: [_uuid(rng) for _ in range(4 if m == "ATVPDKIKX0DER" else 2)] for m in MARKETS}
    asins = [
        "B0" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)) for _ in SERVICES
    ]
    _technicians(world, rng, stores)
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
    _other_provider(world, seed, now, weights)
    return world


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
