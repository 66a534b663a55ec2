"""The `sptui` command line: every command and option, and nothing else.

Building the parser imports argparse and nothing of sptui's (no API layer, no simulator, no
Textual): `sptui` with no command opens the console, and `sptui --version` answers, without
paying for what they do not use. Each command names its handler as "module:function"; the module
is imported only when the command runs. Options take Amazon's parameter names in kebab case
(``--created-after``, ``--service-job-status``), with short aliases where they help.
"""

from __future__ import annotations

import argparse

from sptui import __version__

FORMATS = ("table", "json", "jsonl", "csv", "ids")
STATUSES = (
    "NOT_SERVICED",
    "CANCELLED",
    "COMPLETED",
    "PENDING_SCHEDULE",
    "NOT_FULFILLABLE",
    "HOLD",
    "PAYMENT_DECLINED",
)
CAPACITY_TYPES = (
    "AVAILABLE_CAPACITY",
    "SCHEDULED_CAPACITY",
    "ENCUMBERED_CAPACITY",
    "RESERVED_CAPACITY",
)
RESERVATION_TYPES = ("APPOINTMENT", "TRAVEL", "VACATION", "BREAK", "TRAINING")
SHELLS = ("bash", "zsh", "fish")
FAULT_OPTIONS = (
    ("latency-ms", "added to every API answer, in milliseconds"),
    ("jitter-ms", "random extra latency, up to this many milliseconds"),
    ("error-500-rate", "share of API requests answered 500 InternalFailure"),
    ("error-503-rate", "share answered 503 with an HTML body"),
    ("hang-rate", "share that hang for --hang-seconds"),
    ("hang-seconds", "how long a hung request hangs"),
    ("drop-rate", "share whose connection is dropped mid-answer"),
    ("malformed-rate", "share of 2xx answers with a truncated JSON body"),
    ("applied-then-failed-rate", "share of writes applied and then answered 500"),
    ("token-ttl-seconds", "access tokens expire after this many seconds"),
)
"""The simulator's faults (a test keeps this list equal to FaultPlan's fields)."""

EPILOG = """\
With no command, sptui opens the console (on the built-in demo world when no profile is set).
Exit codes: 0 done, 1 some refused or failed, 2 usage or refused before sending, 3 authentication,
4 outcome unknown after reading back. Data goes to stdout; messages go to stderr."""


def _handler(parser: argparse.ArgumentParser, target: str) -> None:
    parser.set_defaults(handler=target)


def _shared() -> argparse.ArgumentParser:
    """Options every command also takes after its name (``sptui jobs list --profile x``)."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to use"
    )
    shared.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help="the profile to use"
    )
    shared.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="a fresh demo world in this process (reads only)",
    )
    return shared


def _output(parser: argparse.ArgumentParser, *, reveal: bool = True) -> None:
    parser.add_argument(
        "-o",
        "--output",
        choices=FORMATS,
        help="table (default on a terminal), json, jsonl (default when piped), csv or ids",
    )
    if reveal:
        parser.add_argument(
            "--reveal", action="store_true", help="include the buyer's name, phone and address"
        )


def _write(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-y", "--yes", action="store_true", help="send without asking")
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be sent, and send nothing"
    )
    parser.add_argument("-o", "--output", choices=FORMATS, help="how to print each write's outcome")


def _many(group: argparse._ArgumentGroup, flag: str, *aliases: str, help: str) -> None:
    group.add_argument(flag, *aliases, action="append", metavar="VALUE", help=help)


def _jobs(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    jobs = commands.add_parser("jobs", help="list, show, cancel and complete service jobs")
    verbs = jobs.add_subparsers(dest="verb", metavar="VERB", required=True)

    listing = verbs.add_parser(
        "list",
        parents=[shared],
        help="list jobs (getServiceJobs)",
        description="List service jobs. Without a date, the last 90 days by creation.",
    )
    _handler(listing, "sptui.cli.jobs:list_command")
    dates = listing.add_argument_group("dates (YYYY-MM-DD, YYYY-MM-DD HH:MM in your zone, or ISO)")
    for name in (
        "created-after",
        "created-before",
        "last-updated-after",
        "last-updated-before",
        "schedule-start-date",
        "schedule-end-date",
    ):
        dates.add_argument(f"--{name}", metavar="TIME")
    filters = listing.add_argument_group(
        "filters (each takes several values, comma-separated or repeated)"
    )
    _many(filters, "--service-job-status", "--status", help=f"one of {', '.join(STATUSES)}")
    _many(filters, "--asins", "--asin", help="ASINs")
    _many(filters, "--store-ids", "--store", help="store ids")
    _many(filters, "--required-skills", "--skill", help="required skills")
    _many(filters, "--service-order-ids", help="service order ids")
    _many(filters, "--product-order-ids", help="product order ids")
    _many(filters, "--tracking-ids", help="tracking ids")
    listing.add_argument("--sort-field", choices=("JOB_DATE", "JOB_STATUS"), default="JOB_DATE")
    listing.add_argument("--sort-order", choices=("ASC", "DESC"), default="DESC")
    count = listing.add_mutually_exclusive_group()
    count.add_argument("--limit", type=int, metavar="N", help="at most N jobs (default 100)")
    count.add_argument("--all", action="store_true", help="every job that matches, page by page")
    _output(listing)

    show = verbs.add_parser(
        "show", parents=[shared], help="one job, whole (getServiceJobByServiceJobId)"
    )
    _handler(show, "sptui.cli.jobs:show_command")
    show.add_argument(
        "job_ids", nargs="+", metavar="JOB_ID", help="job ids; - reads them from stdin"
    )
    _output(show)

    cancel = verbs.add_parser("cancel", parents=[shared], help="cancel jobs (with a reason code)")
    _handler(cancel, "sptui.cli.jobs:cancel_command")
    cancel.add_argument(
        "job_ids", nargs="+", metavar="JOB_ID", help="job ids; - reads them from stdin"
    )
    cancel.add_argument(
        "--reason", required=True, metavar="CODE", help="cancellation reason code, e.g. V1"
    )
    _write(cancel)

    complete = verbs.add_parser("complete", parents=[shared], help="complete jobs")
    _handler(complete, "sptui.cli.jobs:complete_command")
    complete.add_argument(
        "job_ids", nargs="+", metavar="JOB_ID", help="job ids; - reads them from stdin"
    )
    _write(complete)


def _appointments(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    appointments = commands.add_parser(
        "appointments", help="book, move, assign and set fulfillment data"
    )
    verbs = appointments.add_subparsers(dest="verb", metavar="VERB", required=True)
    book = verbs.add_parser("book", parents=[shared], help="book an appointment for a job")
    _handler(book, "sptui.cli.appointments:book")
    book.add_argument("job_id", metavar="JOB_ID")
    book.add_argument(
        "--at", required=True, metavar="TIME", help="start, in your zone or ISO with offset"
    )
    book.add_argument("--duration", type=int, default=60, metavar="MINUTES", help="default 60")
    _write(book)

    move = verbs.add_parser("move", parents=[shared], help="reschedule a job's active appointment")
    _handler(move, "sptui.cli.appointments:move")
    move.add_argument("job_id", metavar="JOB_ID")
    move.add_argument("--at", required=True, metavar="TIME", help="new start, in your zone or ISO")
    move.add_argument("--duration", type=int, metavar="MINUTES", help="default: the old length")
    move.add_argument(
        "--reason", required=True, metavar="CODE", help="reschedule reason code, e.g. R1"
    )
    move.add_argument(
        "--drop-technicians",
        action="store_true",
        help="do not assign the same technicians again (Amazon unassigns them on a move)",
    )
    _write(move)

    assign = verbs.add_parser(
        "assign", parents=[shared], help="assign technicians to the active appointment"
    )
    _handler(assign, "sptui.cli.appointments:assign")
    assign.add_argument("job_id", metavar="JOB_ID")
    assign.add_argument(
        "--technician",
        "-t",
        action="append",
        required=True,
        metavar="ID",
        help="resource id (repeat)",
    )
    _write(assign)

    fulfil = verbs.add_parser(
        "fulfil",
        aliases=["fulfill"],
        parents=[shared],
        help="set fulfillment data and proof documents",
    )
    _handler(fulfil, "sptui.cli.appointments:fulfil")
    fulfil.add_argument("job_id", metavar="JOB_ID")
    fulfil.add_argument(
        "--arrival-window", nargs=2, metavar=("START", "END"), help="estimated arrival window"
    )
    fulfil.add_argument(
        "--arrived", "--started", dest="started", metavar="TIME", help="when the work started"
    )
    fulfil.add_argument("--finished", metavar="TIME", help="when the work finished")
    fulfil.add_argument(
        "--technician", "-t", action="append", metavar="ID", help="who did it (repeat)"
    )
    fulfil.add_argument(
        "--document", action="append", metavar="PATH", help="proof document (repeat)"
    )
    _write(fulfil)


def _supply(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    slots = commands.add_parser(
        "slots",
        parents=[shared],
        help="open appointment slots, for a job or for a service at a store",
        description="Open slots for JOB_ID, or for --asin at --store-id.",
    )
    _handler(slots, "sptui.cli.supply:slots")
    slots.add_argument("job_id", nargs="?", metavar="JOB_ID")
    slots.add_argument("--asin")
    slots.add_argument("--store-id", metavar="ID")
    slots.add_argument("--start", metavar="DATE", help="first day (default today)")
    slots.add_argument(
        "--days", type=int, default=7, metavar="N", help="how many days (1-90, default 7)"
    )
    _output(slots, reveal=False)

    capacity = commands.add_parser("capacity", parents=[shared], help="a technician's capacity")
    _handler(capacity, "sptui.cli.supply:capacity")
    capacity.add_argument("resource_id", metavar="RESOURCE_ID")
    capacity.add_argument("--start", metavar="DATE", help="first day (default today)")
    capacity.add_argument("--days", type=int, default=7, metavar="N", help="1-90 (default 7)")
    capacity.add_argument(
        "--slot-minutes", type=int, default=60, metavar="N", help="5-360 in steps of 5 (default 60)"
    )
    capacity.add_argument(
        "--type", choices=CAPACITY_TYPES, action="append", help="capacity types (default all)"
    )
    capacity.add_argument("--range", action="store_true", help="range slots (getRangeSlotCapacity)")
    _output(capacity, reveal=False)

    reservations = commands.add_parser(
        "reservations", help="create, update and cancel reservations"
    )
    verbs = reservations.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, text in (("create", "make a reservation"), ("update", "change a reservation")):
        sub = verbs.add_parser(verb, parents=[shared], help=text)
        _handler(sub, f"sptui.cli.supply:reservation_{verb}")
        if verb == "update":
            sub.add_argument("reservation_id", metavar="RESERVATION_ID")
        sub.add_argument(
            "--resource", required=True, metavar="ID", help="the technician's resource id"
        )
        sub.add_argument("--type", required=True, choices=RESERVATION_TYPES)
        sub.add_argument("--start", required=True, metavar="TIME")
        sub.add_argument("--end", required=True, metavar="TIME")
        sub.add_argument("--repeat", metavar="DAYS", help="MON WED or 1 15 (needs --until)")
        sub.add_argument("--until", metavar="TIME")
        sub.add_argument("--capacity", type=int, default=1)
        _write(sub)
    cancel = verbs.add_parser("cancel", parents=[shared], help="cancel a reservation")
    _handler(cancel, "sptui.cli.supply:reservation_cancel")
    cancel.add_argument("reservation_id", metavar="RESERVATION_ID")
    _write(cancel)

    schedule = commands.add_parser("schedule", help="replace a technician's schedule")
    verbs = schedule.add_subparsers(dest="verb", metavar="VERB", required=True)
    put = verbs.add_parser(
        "set",
        parents=[shared],
        help="send a whole schedule (updateSchedule replaces what was there)",
        description="FILE is JSON: a list of Amazon's AvailabilityRecord objects, or "
        '{"schedules": [...]}; - reads standard input.',
    )
    _handler(put, "sptui.cli.supply:schedule_set")
    put.add_argument("resource_id", metavar="RESOURCE_ID")
    put.add_argument("--file", required=True, metavar="FILE")
    _write(put)


def _store(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    store = commands.add_parser(
        "store",
        help="the local job store: info, sync, clear",
        description="Each profile keeps its jobs in a local store (never buyer PII), "
        "brought up to date by change.",
    )
    verbs = store.add_subparsers(dest="verb", metavar="VERB", required=True)
    info = verbs.add_parser(
        "info", parents=[shared], help="where the store is, its size, jobs, window and sync ages"
    )
    _handler(info, "sptui.cli.store:info")
    info.add_argument("-o", "--output", choices=("table", "json"), help="table (default) or json")

    sync = verbs.add_parser(
        "sync",
        parents=[shared],
        help="bring the store up to date (for cron)",
        description="Fetch what changed since the last sync (the first one walks the window). "
        "Prints the new, changed and removed job ids; a summary goes to stderr.",
    )
    _handler(sync, "sptui.cli.store:sync_command")
    sync.add_argument(
        "--full",
        action="store_true",
        help="walk the whole window again: finds jobs gone from the account",
    )
    sync.add_argument(
        "-o", "--output", choices=FORMATS, help="how to print the ids (default jsonl when piped)"
    )

    clear = verbs.add_parser("clear", parents=[shared], help="forget every stored job")
    _handler(clear, "sptui.cli.store:clear")
    clear.add_argument("-y", "--yes", action="store_true", help="clear without asking")


def _tools(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    journal = commands.add_parser(
        "journal", parents=[shared], help="every write sptui made, and its outcome"
    )
    _handler(journal, "sptui.cli.journal:show_journal")
    journal.add_argument("--since", metavar="TIME", help="entries from this time on")
    _output(journal, reveal=False)

    api = commands.add_parser(
        "api",
        parents=[shared],
        help="call any operation by Amazon's operationId",
        description="Call OPERATION_ID with the client's auth, pacing, retries and validation. "
        "Writes are previewed, confirmed and journalled like every other write.",
    )
    _handler(api, "sptui.cli.api:call")
    api.add_argument("operation_id", metavar="OPERATION_ID")
    api.add_argument("--path", action="append", default=[], metavar="NAME=VALUE")
    api.add_argument("--query", action="append", default=[], metavar="NAME=VALUE")
    api.add_argument("--body", metavar="FILE", help="a JSON body; - reads standard input")
    api.add_argument("--no-validate", action="store_true", help="send exactly as given")
    api.add_argument(
        "--curl", action="store_true", help="print the equivalent curl command instead"
    )
    api.add_argument("--reveal", action="store_true", help="include buyer PII in the answer")
    api.add_argument("-y", "--yes", action="store_true", help="send a write without asking")
    api.add_argument(
        "--dry-run", action="store_true", help="print what would be sent, and send nothing"
    )

    completion = commands.add_parser("completion", help="print a shell completion script")
    _handler(completion, "sptui.cli.completion:print_script")
    completion.add_argument("shell", choices=SHELLS)

    profile = commands.add_parser("profile", help="add, list, remove or test profiles")
    _handler(profile, "sptui.profile_commands:run")
    _profile_arguments(profile)

    simulator = commands.add_parser(
        "simulator",
        help="serve a local Services API with demo data on loopback",
        description="Serve a stateful local Services API (demo world, usage plans, faults).",
    )
    _handler(simulator, "sptui.simulator.server:run")
    _simulator_arguments(simulator)


def _profile_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    add = commands.add_parser("add", help="add or replace a profile, checked against Amazon")
    add.add_argument("name")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--region", choices=["NA", "EU", "FE"])
    where.add_argument("--endpoint", help="a custom API base URL, e.g. a simulator on 127.0.0.1")
    add.add_argument("--token-url", help="with --endpoint: its LWA token URL")
    add.add_argument(
        "--marketplace", dest="marketplace_id", help="marketplace id, e.g. ATVPDKIKX0DER"
    )
    add.add_argument("--sandbox", action="store_true", help="use Amazon's sandbox hosts")
    add.add_argument("--client-id")
    add.add_argument(
        "--secrets",
        choices=["keyring", "command", "env", "file"],
        default="keyring",
        help="where the client secret and refresh token live (default: the OS keyring)",
    )
    add.add_argument("--client-secret-command", help="with --secrets command")
    add.add_argument("--refresh-token-command", help="with --secrets command")
    add.add_argument("--time-zone")
    add.add_argument("--no-check", action="store_true", help="write without checking with Amazon")
    listing = commands.add_parser("list", help="list profiles and where their secrets come from")
    listing.add_argument("--names", action="store_true", help="only the names (for completion)")
    remove = commands.add_parser("remove", help="remove a profile (and its keyring entries)")
    remove.add_argument("name")
    test = commands.add_parser("test", help="log in and make one harmless call")
    test.add_argument("name")


def _simulator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo world (default 1)")
    parser.add_argument("--jobs", type=int, default=200, help="jobs in the world (default 200)")
    parser.add_argument(
        "--marketplace",
        action="append",
        default=[],
        metavar="ID",
        help="put the jobs in this marketplace only (repeatable; default: US, CA and UK)",
    )
    faults = parser.add_argument_group("faults (each rate is a share of API requests, 0 to 1)")
    for name, text in FAULT_OPTIONS:
        faults.add_argument(f"--{name}", type=float, default=None, metavar="N", help=text)
    parser.add_argument(
        "--no-usage-plans", action="store_true", help="do not answer 429 when a plan is spent"
    )
    parser.add_argument(
        "--sandbox-fixtures",
        action="store_true",
        help="answer only Amazon's static-sandbox cases, as Amazon's sandbox does",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse unknown query parameters and body fields (Amazon ignores them)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sptui",
        description="Keyboard-first console and command line for Amazon's SP-API Services API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"sptui {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $SPTUI_CONFIG, then the platform's config directory)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="the profile to use (default: settings.default_profile)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in simulator's demo world"
    )
    console = parser.add_argument_group("the console (no command)")
    console.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="refresh the jobs list this often, marking new and changed jobs (off by default)",
    )
    console.add_argument(
        "--demo-jobs",
        type=int,
        default=200,
        metavar="N",
        help="jobs in the demo world (default 200)",
    )
    shared = _shared()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _jobs(commands, shared)
    _appointments(commands, shared)
    _supply(commands, shared)
    _store(commands, shared)
    _tools(commands, shared)
    return parser
