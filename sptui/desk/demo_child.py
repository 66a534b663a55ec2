"""The demo world's own process (see ``demo_backend``): ``python -m sptui.desk.demo_child``.

It builds the world, fills the console's temporary job store with the sync a console runs
(through an in-process client, paced by the same usage plans), saying how far it got on stdout
and ``filled`` at the end, and serves the world on the listening socket the console handed over
until the console closes this process's stdin (or ends, however it ends: its temporary store
then goes with this process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from .demo_backend import FILLED, HEARTBEAT_S
from .store_paths import TEMPORARY_PREFIX

if TYPE_CHECKING:
    from sptui.simulator.instance import Simulator


_SAYING = threading.Lock()


def _say(line: str) -> None:
    with _SAYING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _heartbeat(done: threading.Event) -> None:
    """Say ``alive`` now and then while filling, even while building the world takes the loop:
    the console gives up on a child that goes quiet."""
    while not done.wait(HEARTBEAT_S):
        with contextlib.suppress(OSError, ValueError):
            _say("alive")


def _exit_when_parent_goes(store: Path) -> None:
    """Read stdin to its end (the console closed it, or died), then leave at once, taking the
    console's temporary store with it if the console could not (it was killed, or hung up)."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        if store.parent.name.startswith(TEMPORARY_PREFIX):
            shutil.rmtree(store.parent, ignore_errors=True)
        os._exit(0)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sptui.desk.demo_child")
    parser.add_argument("--fd", type=int, required=True, help="a listening socket's descriptor")
    parser.add_argument("--store", type=Path, required=True, help="the job store to fill")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--window-days", type=int, default=90)
    parser.add_argument("--keep-closed-days", type=int, default=90)
    return parser.parse_args(argv)


async def _fill(args: argparse.Namespace, simulator: Simulator, started: asyncio.Event) -> None:
    from .store.location import open_store
    from .store.slices import Progress
    from .store.sync import sync

    def stored(progress: Progress) -> None:
        expected = "-" if progress.expected is None else str(progress.expected)
        _say(f"progress {progress.fetched} {expected}")
        started.set()

    try:
        with open_store(args.store) as store:
            async with simulator.client() as client:
                await sync(
                    store,
                    client,
                    window_days=args.window_days,
                    keep_closed_days=args.keep_closed_days,
                    progress=stored,
                )
    except Exception as error:  # said to the console, which does without this process
        traceback.print_exc()
        _say(f"failed: {type(error).__name__}: {error}")
    else:
        _say(FILLED)
    finally:
        started.set()


async def _run(args: argparse.Namespace, done: threading.Event) -> None:
    from sptui.simulator.config import SimConfig
    from sptui.simulator.instance import Simulator

    listener = socket.socket(fileno=args.fd)
    simulator = Simulator(SimConfig(seed=args.seed, jobs=args.jobs))
    started = asyncio.Event()
    filling = asyncio.create_task(_fill(args, simulator, started))
    filling.add_done_callback(lambda _: done.set())
    # The first page is stored before the server starts: the console sends nothing before it
    # has loaded its own client, and a request that comes early waits in the socket's backlog.
    await started.wait()
    import uvicorn

    config = uvicorn.Config(simulator.app.asgi, log_level="warning", lifespan="off")
    await uvicorn.Server(config).serve(sockets=[listener])
    await filling


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    threading.Thread(target=_exit_when_parent_goes, args=(args.store,), daemon=True).start()
    done = threading.Event()
    threading.Thread(target=_heartbeat, args=(done,), daemon=True).start()
    try:
        asyncio.run(_run(args, done))
    finally:
        done.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
