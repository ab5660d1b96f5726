# compare_async.py: tutorial 000, "FastAPI Async vs Sync - Performance Demo"
# (/work/shared/tutorials/000_3921dc104461c26e.txt, "Benchmark Script (Async vs Sync)").
# NOT the tutorial's code: the tutorial runs this script ("python compare_async.py") and shows
# its output but does not print it. Written from that, as small as it allows: one batch of
# concurrent requests to each of its four cases, sync-slow, async-slow, sync-http and
# async-http, each timed as "<case> took <seconds>s". The batch is 30 requests, the number
# issue 14 gives (the tutorial names none). httpx, the tutorial's async client. The timeout is
# long (the tutorial's own sync batches take 24-40 s), and each batch also prints its status
# codes, so a refused request (503) shows instead of looking like a fast one.
# The base URL comes from $BASE_URL, default the tutorial's http://127.0.0.1:8000
# (the showcase: BASE_URL=http://127.0.0.1:8080).
# Run: python3 compare_async.py   (needs httpx: Debian's python3-httpx)
import asyncio
import collections
import os
import time

import httpx

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
REQUESTS = 30
CASES = ["sync-slow", "async-slow", "sync-http", "async-http"]


async def timed(client, case):
    start = time.perf_counter()
    responses = await asyncio.gather(*(client.get(f"{BASE_URL}/{case}") for _ in range(REQUESTS)))
    took = time.perf_counter() - start
    print(f"{case} took {took:.2f}s")
    print(f"statuses: {dict(collections.Counter(r.status_code for r in responses))}")


async def main():
    async with httpx.AsyncClient(timeout=120) as client:
        for case in CASES:
            await timed(client, case)
            if case.startswith("async"):
                print()


if __name__ == "__main__":
    asyncio.run(main())
