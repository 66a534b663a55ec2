"""What a simulator run is: its world, its credentials, its limits and its faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from .faults import FaultPlan

DEMO_CLIENT_ID = "sptui-demo"
DEMO_CLIENT_SECRET = "sptui-demo-secret"  # noqa: S105 (the simulator's public demo credential)
DEMO_REFRESH_TOKEN = "sptui-demo-refresh"  # noqa: S105
DEMO_MARKETPLACE = "ATVPDKIKX0DER"


@dataclass
class SimConfig:
    seed: int = 1
    jobs: int = 200
    marketplaces: tuple[str, ...] = ()
    """Where the demo jobs are; empty means the US, Canada and the UK."""
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = field(default=DEMO_CLIENT_SECRET, repr=False)
    refresh_token: str = field(default=DEMO_REFRESH_TOKEN, repr=False)
    enforce_usage_plans: bool = True
    plan_scale: float = 1.0
    """Multiplies every rate and burst; tests use a large figure to run fast."""
    upload_ttl_seconds: float = 300.0
    """How long an upload destination accepts a file and may be referenced."""
    page_days: int = 7
    """How many days one page of a capacity answer covers."""
    sandbox: bool = False
    """Answer only Amazon's static-sandbox cases, as Amazon's sandbox host does."""
    strict: bool = False
    """Refuse unknown query parameters and body fields (a typo such as "startTim"). Amazon
    ignores them, as its model never forbids additional properties, so the default does too."""
    faults: FaultPlan = field(default_factory=FaultPlan)
