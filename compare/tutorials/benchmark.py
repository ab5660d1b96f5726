# benchmark.py: tutorial 004, "FastAPI Threads - CPU-Bound Task Benchmark"
# (/work/shared/tutorials/004_1d199f7888b005eb.txt, "Running the Benchmark").
# NOT the tutorial's code: the tutorial describes this script but does not print it. Written
# from its description, as small as that allows: "Send 20 concurrent requests to each
# endpoint, measure total time for each batch, display performance comparison", with httpx
# (its "Dependencies"), in the order and the words of its "Expected Results".
# Two things the description implies, said here: the timeout is long (the tutorial's own
# batches take up to 22 s, past httpx's default 5 s), and each batch also prints its status
# codes, so a refused request (503) shows instead of looking like a fast one.
# The base URL comes from $BASE_URL, default the tutorial's http://localhost:8000
# (the showcase: BASE_URL=http://127.0.0.1:8080).
# Run: python3 benchmark.py   (needs httpx: Debian's python3-httpx)
import asyncio
import collections
import os
import time

import httpx

BASE_URL = os.environ.get("BASE_URL", "http://localhost:8000").rstrip("/")
REQUESTS = 20
ENDPOINTS = ["/thread", "/generator", "/cycle", "/cycle_sleep", "/background"]


async def batch(client, endpoint):
    print(f"Running {REQUESTS} requests to {endpoint}...")
    start = time.perf_counter()
    responses = await asyncio.gather(*(client.get(BASE_URL + endpoint) for _ in range(REQUESTS)))
    took = time.perf_counter() - start
    print(f"Batch of {REQUESTS} requests to {endpoint} took: {took:.4f} seconds")
    print(f"statuses: {dict(collections.Counter(r.status_code for r in responses))}")
    print("-" * 20)


async def main():
    print("--- Starting benchmark ---\n")
    async with httpx.AsyncClient(timeout=120) as client:
        for endpoint in ENDPOINTS:
            await batch(client, endpoint)


if __name__ == "__main__":
    asyncio.run(main())
