"""``sptui simulator``: serve the simulator on loopback with uvicorn."""

from __future__ import annotations

import argparse
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import fields

from sptui.spapi.endpoints import is_loopback

from .config import DEMO_MARKETPLACE, SimConfig
from .faults import FaultPlan
from .instance import Simulator


def config_from(args: argparse.Namespace) -> SimConfig:
    if args.jobs < 0:
        raise ValueError("--jobs must not be negative")
    if not 0 < args.port < 65536:
        raise ValueError("--port must be between 1 and 65535")
    chosen = {
        f.name: getattr(args, f.name)
        for f in fields(FaultPlan)
        if f.name not in ("rng", "seed") and getattr(args, f.name, None) is not None
    }
    faults = FaultPlan(**chosen, seed=args.seed)
    known = {"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1F83G8C2ARO7P"}
    unknown = sorted(set(args.marketplace) - known)
    if unknown:
        raise ValueError(
            f"--marketplace {', '.join(unknown)}: the demo world has {', '.join(sorted(known))}"
        )
    return SimConfig(
        seed=args.seed,
        jobs=args.jobs,
        marketplaces=tuple(args.marketplace),
        enforce_usage_plans=not args.no_usage_plans,
        sandbox=args.sandbox_fixtures,
        strict=args.strict,
        faults=faults,
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    try:
        config = config_from(args)
    except ValueError as error:
        print(f"sptui simulator: {error}", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(
            f"sptui simulator: refusing to listen on {args.host}: the simulator speaks plain HTTP "
            "and clients accept that only on loopback (use 127.0.0.1 and an SSH tunnel).",
            file=sys.stderr,
        )
        return 2
    simulator = Simulator(config)
    base = base_url(args.host, args.port)
    mode = (
        "Amazon static-sandbox cases" if config.sandbox else f"{args.jobs} jobs, seed {args.seed}"
    )
    print(f"sptui simulator: {mode}")
    print(f"  base URL        {base}")
    print(f"  token URL       {base}/auth/o2/token")
    print(f"  client id       {config.client_id}")
    print(f"  client secret   {config.client_secret}")
    print(f"  refresh token   {config.refresh_token}")
    print(f"  marketplace id  {DEMO_MARKETPLACE}")
    print(f"  faults          {base}/_sim/faults (GET to read, PUT a JSON object to change)")
    print("To use it from the console and the command line (writes included), add a profile:")
    print(
        f"  {profile_add_line(base, config.client_id, config.client_secret, config.refresh_token)}"
    )
    print("Ctrl+C stops it.", flush=True)
    # uvicorn binds a bare address; "[::1]" is how a URL writes it, so take that too.
    host = args.host.removeprefix("[").removesuffix("]")
    uvicorn.run(simulator.app.asgi, host=host, port=args.port, log_level="warning")
    return 0


def profile_add_line(base: str, client_id: str, secret: str, refresh: str) -> str:
    """A ready-to-paste `sptui profile add` for this simulator (its demo credentials are public,
    so echoing them from a command is fine; a real secret never goes on a command line)."""
    return (
        f"sptui profile add sim --endpoint {base} --token-url {base}/auth/o2/token "
        f"--marketplace {DEMO_MARKETPLACE} --client-id {shlex.quote(client_id)} --secrets command "
        f"--client-secret-command {shlex.quote('echo ' + secret)} "
        f"--refresh-token-command {shlex.quote('echo ' + refresh)}"
    )


def base_url(host: str, port: int) -> str:
    """The URL clients use; an IPv6 address goes in brackets (RFC 3986), or the port would
    read as part of it."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def spawn(port: int, *options: str) -> subprocess.Popen[bytes]:
    """`sptui simulator` in a child process on 127.0.0.1:port, returned once it answers."""
    import httpx

    process = subprocess.Popen(  # noqa: S603 (our own entry point)
        [sys.executable, "-m", "sptui", "simulator", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_sim/health", timeout=0.5).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the simulator did not answer on port {port} within 30 s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
