"""Availability records as a person types and reads them (schedules and reservations share them).

"MON WED FRI" or "1 15" for the repeat, times in the user's zone to the minute. Every check
Amazon's model states, and the ones its answers show, is made here before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from sptui.spapi.models import AvailabilityRecord, DayOfWeek, Recurrence

from .formatting import zone_label
from .local_time import FORMAT_HINT, parse_local

WEEKDAYS = {d.value[:3]: d for d in DayOfWeek}
"""MON → MONDAY, and so on."""


def parse_repeat(text: str) -> tuple[list[DayOfWeek], list[int]]:
    """'MON, wed' → weekdays; '1 15' → days of the month. ValueError says what is wrong."""
    tokens = [t for t in text.replace(",", " ").upper().split() if t]
    days = [WEEKDAYS.get(t[:3]) for t in tokens if not t.isdigit()]
    numbers = [int(t) for t in tokens if t.isdigit()]
    if any(d is None for d in days):
        raise ValueError("repeat on weekdays (MON TUE …) or days of the month (1 15 …)")
    if days and numbers:
        raise ValueError("repeat on weekdays or on days of the month, not both")
    if any(not 1 <= n <= 31 for n in numbers):
        raise ValueError("days of the month are 1 to 31")
    return [d for d in days if d is not None], numbers


def build_record(
    fields: dict[str, str],
    zone: tzinfo | None,
    now: datetime,
    *,
    parse: Callable[[str, tzinfo | None], datetime] = parse_local,
    forms: str = FORMAT_HINT,
) -> tuple[AvailabilityRecord | None, dict[str, str]]:
    """From the typed fields (start, end, repeat, until, capacity): the record, or the problem
    with each field by name.

    ``parse`` reads a time in the zone (the console takes ``YYYY-MM-DD HH:MM``; the command line
    also takes ISO 8601), and ``forms`` names what it takes, for the problem it reports."""
    problems: dict[str, str] = {}
    times: dict[str, datetime] = {}
    for name in ("start", "end", "until"):
        text = fields.get(name, "").strip()
        if not text:
            continue
        try:
            times[name] = parse(text, zone)
        except ValueError:
            problems[name] = f"type a time as {forms}"
    for name in ("start", "end"):
        if name not in times and name not in problems:
            problems[name] = "required"
    if "start" in times and "end" in times and times["end"] <= times["start"]:
        problems["end"] = "the end must be after the start"
    elif "end" in times and times["end"] <= now:
        problems["end"] = "that time is already over"
    try:
        weekdays, month_days = parse_repeat(fields.get("repeat", ""))
    except ValueError as error:
        problems["repeat"] = str(error)
        weekdays, month_days = [], []
    repeating = bool(weekdays or month_days)
    if repeating and "until" not in times and "until" not in problems:
        problems["until"] = "a repeat needs an end"
    if not repeating and fields.get("until", "").strip() and "until" not in problems:
        problems["until"] = "only a repeat has an end; give the days it repeats on"
    if "until" in times and "start" in times and times["until"] < times["start"]:
        problems["until"] = "the repeat cannot end before the start"
    capacity_text = fields.get("capacity", "").strip() or "1"
    if not capacity_text.isdigit() or int(capacity_text) < 1:
        problems["capacity"] = "a whole number, at least 1"
    if problems:
        return None, problems
    recurrence = (
        Recurrence(
            end_time=times["until"],
            days_of_week=weekdays or None,
            days_of_month=month_days or None,
        )
        if repeating
        else None
    )
    record = AvailabilityRecord(
        start_time=times["start"],
        end_time=times["end"],
        recurrence=recurrence,
        capacity=int(capacity_text),
    )
    return record, {}


def record_problems(record: AvailabilityRecord, now: datetime) -> list[str]:
    """What is wrong with a whole record (one given as Amazon's JSON, say), in words; none if
    fine. The checks ``build_record`` makes of typed fields, made of the record itself, and the
    ones the model leaves open (a weekday Amazon does not know is let through by the model)."""
    start, end = record.start_time, record.end_time
    if start is None or end is None:
        return ["startTime and endTime are required"]
    problems = []
    if end <= start:
        problems.append("endTime must be after startTime")
    last = end
    recurrence = record.recurrence
    if recurrence is not None:
        if recurrence.end_time is None:
            problems.append("a recurrence needs an endTime")
        elif recurrence.end_time < start:
            problems.append("the recurrence cannot end before startTime")
        else:
            last = max(end, recurrence.end_time)
        weekdays = recurrence.days_of_week or []
        if weekdays and recurrence.days_of_month:
            problems.append("repeat on daysOfWeek or on daysOfMonth, not both")
        unknown = [str(d) for d in weekdays if not getattr(d, "known", True)]
        if unknown:
            known = ", ".join(d.value for d in DayOfWeek)
            problems.append(f"daysOfWeek {unknown[0]!r} is not one of {known}")
    if last <= now:
        problems.append("that time is already over")
    return problems


def fields_of(record: AvailabilityRecord, zone: tzinfo | None) -> dict[str, str]:
    """The typed form of a record, to edit it."""

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    recurrence = record.recurrence
    repeat = ""
    if recurrence and recurrence.days_of_week:
        repeat = " ".join(str(getattr(d, "value", d))[:3] for d in recurrence.days_of_week)
    elif recurrence and recurrence.days_of_month:
        repeat = " ".join(str(n) for n in recurrence.days_of_month)
    return {
        "start": local(record.start_time),
        "end": local(record.end_time),
        "repeat": repeat,
        "until": local(recurrence.end_time if recurrence else None),
        "capacity": str(record.capacity or 1),
    }


def describe(record: AvailabilityRecord, zone: tzinfo | None, *, named: bool = False) -> str:
    """'Tue 01 Dec 09:00-17:00 · every MON WED until 2027-01-31 · capacity 2'; ``named`` (a
    preview, where no heading says the zone): 'Tue 01 Dec 09:00-17:00 EST · …'."""
    typed = fields_of(record, zone)
    start = record.start_time.astimezone(zone) if record.start_time else None
    end = record.end_time.astimezone(zone) if record.end_time else None
    if start and end:
        same_day = start.date() == end.date()
        when = (
            f"{start:%a %d %b %H:%M}-{end:%H:%M}"
            if same_day
            else (f"{start:%a %d %b %H:%M} - {end:%a %d %b %H:%M}")
        )
        if named:
            when += f" {zone_label(record.start_time, zone)}"  # type: ignore[arg-type]
    else:
        when = "?"
    parts = [when]
    if typed["repeat"]:
        parts.append(f"every {typed['repeat']} until {typed['until'][:10]}")
    parts.append(f"capacity {typed['capacity']}")
    return " · ".join(parts)
