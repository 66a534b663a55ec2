"""Shared by the simulator benchmarks: a simulator at Amazon's real usage plans."""

from __future__ import annotations

from sptui.simulator import FaultPlan, SimConfig, Simulator


def real_plan_simulator(jobs: int, latency_ms: float, seed: int = 1) -> Simulator:
    return Simulator(
        SimConfig(
            seed=seed, jobs=jobs, enforce_usage_plans=True, faults=FaultPlan(latency_ms=latency_ms)
        )
    )


def report(name: str, wall: float, bound: float, throttled: int, extra: dict[str, object]) -> None:
    print(f"{name}")
    for key, value in extra.items():
        print(f"  {key:<22} {value}")
    print(f"  {'wall time':<22} {wall:.3f} s")
    print(f"  {'plan bound':<22} {bound:.3f} s")
    print(f"  {'ratio':<22} {wall / bound:.3f}")
    print(f"  {'429 responses':<22} {throttled}")
