"""`sptui api OPERATION_ID`: any of the 17 operations by Amazon's operationId, like `gh api`.

It goes through the same client as everything else: the model's validation (``--no-validate``
sends as given), Login with Amazon, pacing, retries and, for a write, reconcile. A write is
previewed, confirmed (or ``--yes``) and journalled like every other write. ``--curl`` prints the
equivalent curl command instead of sending, with the access token left as a shell variable.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sptui.desk.desk import Desk
from sptui.desk.writes import perform
from sptui.spapi.dispatch import call_operation, check_parameters
from sptui.spapi.models.base import AnswerModel
from sptui.spapi.operations import OPERATIONS
from sptui.spapi.params import encode_query
from sptui.spapi.session import USER_AGENT, build_path

from .confirm import WriteOptions, exit_for, gate, settle
from .context import Refused, run_command
from .exit import Exit
from .io import IO, terminal_io

TOKEN_VARIABLE = "$SP_API_ACCESS_TOKEN"  # noqa: S105 (the name of a shell variable)
WITH_MARKETPLACE = frozenset(
    {
        "getServiceJobs",
        "getRangeSlotCapacity",
        "getFixedSlotCapacity",
        "updateSchedule",
        "createReservation",
        "updateReservation",
        "cancelReservation",
        "getAppointmmentSlotsByJobId",
        "getAppointmentSlots",
    }
)


@dataclass(frozen=True)
class ApiOptions:
    operation_id: str
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    validate: bool = True
    curl: bool = False
    reveal: bool = False
    write: WriteOptions = field(default_factory=WriteOptions)


def pairs(items: list[str], flag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise Refused(f"{flag} {item!r}: write it as NAME=VALUE")
        found[name] = value
    return found


def read_body(source: str | None, stdin: Any) -> Any:
    if source is None:
        return None
    try:
        text = stdin.read() if source == "-" else open(source, encoding="utf-8").read()  # noqa: SIM115
    except OSError as error:
        raise Refused(f"--body {source}: {error.strerror}") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Refused(f"--body {source}: not JSON ({error})") from None


def api_options(args: argparse.Namespace, stdin: Any) -> ApiOptions:
    if args.operation_id not in OPERATIONS:
        known = ", ".join(sorted(OPERATIONS))
        raise Refused(f"no operation {args.operation_id!r}; the Services API has: {known}")
    return ApiOptions(
        args.operation_id,
        pairs(args.path, "--path"),
        pairs(args.query, "--query"),
        read_body(args.body, stdin),
        not args.no_validate,
        args.curl,
        args.reveal,
        WriteOptions(args.yes, args.dry_run, None),
    )


def with_marketplace(options: ApiOptions, desk: Desk) -> dict[str, str]:
    query = dict(options.query)
    if options.operation_id in WITH_MARKETPLACE:
        query.setdefault("marketplaceIds", desk.client.marketplace_id)
    return query


def curl_command(options: ApiOptions, desk: Desk) -> str:
    operation = OPERATIONS[options.operation_id]
    url = desk.client.endpoint.base_url.rstrip("/") + build_path(operation, options.path)
    query = encode_query(with_marketplace(options, desk))
    if query:
        url += "?" + urlencode(query)
    parts = ["curl", "-sS", "-X", operation.method, shlex.quote(url)]
    headers = [
        f"x-amz-access-token: {TOKEN_VARIABLE}",
        "x-amz-date: $(date -u +%Y%m%dT%H%M%SZ)",
        f"user-agent: {USER_AGENT}",
        "accept: application/json",
    ]
    if options.body is not None:
        headers.append("content-type: application/json")
    for header in headers:  # double quotes: the shell must expand the token and the date
        parts += ["-H", '"' + header.replace('"', '\\"') + '"']
    if options.body is not None:
        parts += ["--data", shlex.quote(json.dumps(options.body, separators=(",", ":")))]
    return " ".join(parts)


def show_answer(io: IO, answer: AnswerModel, reveal: bool) -> None:
    io.out.write(json.dumps(answer.to_wire(pii=reveal), indent=2, ensure_ascii=False) + "\n")
    io.say(f"request id {answer.request_id or '-'} · rate limit {answer.rate_limit or '-'}/s")


async def run_api(options: ApiOptions, io: IO, desk: Desk) -> Exit:
    problems = check_parameters(options.operation_id, options.path, options.query, options.body)
    if problems and options.validate:
        raise Refused("; ".join(f"{name}: {why}" for name, why in problems))
    if options.curl:
        io.out.write(curl_command(options, desk) + "\n")
        io.say(
            "set SP_API_ACCESS_TOKEN to a Login with Amazon access token first; "
            f"{options.operation_id} was not sent"
        )
        return Exit.OK
    desk.client.validate = options.validate
    query = with_marketplace(options, desk)

    def send() -> Any:
        return call_operation(desk.client, options.operation_id, options.path, query, options.body)

    if OPERATIONS[options.operation_id].is_read:
        show_answer(io, await send(), options.reveal)
        return Exit.OK
    operation = OPERATIONS[options.operation_id]
    preview = [
        f"{options.operation_id}: {operation.method} {build_path(operation, options.path)}",
        *(f"  query {k}={v}" for k, v in query.items()),
        *(
            ["  body " + json.dumps(options.body, ensure_ascii=False)]
            if options.body is not None
            else []
        ),
    ]
    stop = gate(io, options.write, preview, "Send this write?")
    if stop is not None:
        return stop
    result = await perform(
        desk.journal,
        desk.context(),
        options.operation_id,
        {**options.path},
        {"query": options.query, "body": options.body},
        send,
    )
    result = (await settle(io, desk.journal, [result]))[0]
    if result.answer is not None:
        show_answer(io, result.answer, options.reveal)
    rid = f" (request id {result.request_id})" if result.request_id else ""
    io.say(f"{options.operation_id}: {result.outcome}: {result.message}{rid}")
    return exit_for([result])


def call(args: argparse.Namespace) -> int:
    io = terminal_io()
    try:
        options = api_options(args, sys.stdin)
    except Refused as refused:
        io.say(f"sptui: {refused}")
        return Exit.REFUSED
    writes = not OPERATIONS[options.operation_id].is_read and not options.curl
    return run_command(args, lambda desk, io_: run_api(options, io_, desk), writes=writes, io=io)
