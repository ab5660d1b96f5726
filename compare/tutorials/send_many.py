# send_many.py: tutorial 003, "Async Requests" (/work/shared/tutorials/003_a0f33919a819eef5.txt,
# "Exercise 1: Compare Performance").
# NOT the tutorial's code: the tutorial runs this script ("time uv run 12-async/send_many.py")
# but does not print it. Written from its description, as small as that allows: many
# concurrent requests to /wait?secs=2 (its curl example); its exercise then edits the script to
# call /wait_async, which here is an argument instead:  python3 send_many.py /wait_async
# "Many" is 50, the number issue 14 gives (the tutorial names none). httpx, as the tutorial's
# own test uses. The timeout is long: on a pool that serialises /wait, the last answers come
# after httpx's default 5 s. It prints its status codes, so a refused request (503) shows.
# The base URL comes from $BASE_URL, default the tutorial's http://localhost:8000
# (the showcase: BASE_URL=http://127.0.0.1:8080).
# Run: time python3 send_many.py [/wait | /wait_async]   (needs httpx: Debian's python3-httpx)
import asyncio
import collections
import os
import sys
import time

import httpx

BASE_URL = os.environ.get("BASE_URL", "http://localhost:8000").rstrip("/")
REQUESTS = 50


async def main(path):
    url = f"{BASE_URL}{path}?secs=2"
    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=REQUESTS)) as client:
        responses = await asyncio.gather(*(client.get(url) for _ in range(REQUESTS)))
    took = time.perf_counter() - start
    print(f"{REQUESTS} requests to {path}?secs=2 took {took:.2f} s")
    print(f"statuses: {dict(collections.Counter(r.status_code for r in responses))}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "/wait"))
