"""A simulator served by uvicorn on 127.0.0.1 in a thread: a real socket, with the world at hand."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from sptui.simulator import Simulator
from sptui.simulator.server import free_port


@contextmanager
def served(sim: Simulator) -> Iterator[str]:
    """The simulator's base URL while it listens; the test may read and change ``sim.world``
    between requests (each answer is complete before the next request is sent)."""
    port = free_port()
    config = uvicorn.Config(sim.app.asgi, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"simulator:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the simulator did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
