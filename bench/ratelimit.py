"""200 getServiceJobByServiceJobId calls from 20 tasks against a server enforcing 20/s, burst 40.

The server answers in 50 ms and returns 429 QuotaExceeded whenever its own token bucket is empty.
Prints the wall time, the plan's bound ((200 - 40) / 20 = 8 s), their ratio and the 429 count.
Target: ratio <= 1.10 with zero 429s.

Run: python bench/ratelimit.py
"""

from __future__ import annotations

import asyncio
import time

import httpx

from sptui.spapi import Endpoint, LwaCredentials, ServicesClient

CALLS, TASKS, RATE, BURST, LATENCY = 200, 20, 20.0, 40, 0.05


class ThrottlingServer(httpx.AsyncBaseTransport):
    """Answers like Amazon would under a 20/s, burst 40 usage plan."""

    def __init__(self) -> None:
        self.tokens = float(BURST)
        self.stamp = time.monotonic()
        self.throttled = 0
        self.served = 0

    def _admit(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.stamp) * RATE)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/o2/token":
            return httpx.Response(200, json={"access_token": "Atza|bench", "expires_in": 3600})
        admitted = self._admit()  # counted on arrival, as a real bucket does
        await asyncio.sleep(LATENCY)
        if not admitted:
            self.throttled += 1
            return httpx.Response(
                429,
                json={"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]},
            )
        self.served += 1
        return httpx.Response(200, json={"payload": {"serviceJobId": "job-1"}})


async def main() -> None:
    server = ThrottlingServer()
    client = ServicesClient(
        LwaCredentials("bench-client", "bench-secret", "bench-refresh"),
        marketplace_id="ATVPDKIKX0DER",
        endpoint=Endpoint(
            "https://sellingpartnerapi-na.amazon.com", "https://api.amazon.com/auth/o2/token"
        ),
        transport=server,
    )
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(CALLS):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            queue.get_nowait()
            await client.get_service_job_by_service_job_id("job-1")

    await client.auth.access_token()  # the token request is not part of the measure
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(TASKS)))
    wall = time.perf_counter() - started
    await client.aclose()
    bound = (CALLS - BURST) / RATE
    plan = f"plan {RATE:g}/s burst {BURST}, latency {LATENCY * 1000:.0f} ms"
    print(f"calls              {CALLS} from {TASKS} tasks, {plan}")
    print(f"wall time          {wall:.3f} s")
    print(f"plan bound         {bound:.3f} s")
    print(f"ratio              {wall / bound:.3f}  (target <= 1.10)")
    print(f"429 responses      {server.throttled}  (target 0)")
    print(f"served             {server.served}")


if __name__ == "__main__":
    asyncio.run(main())
