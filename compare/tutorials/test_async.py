# test_async.py: tutorial 002, "FastAPI Async Programming: Handling Thousands of Requests
# Efficiently" (/work/shared/tutorials/002_ac2ddd1db896abf9.txt, section "Load Testing
# (Optional)"), copied verbatim. The one change: the base URL comes from $BASE_URL, default the
# tutorial's http://localhost:8000 (the showcase: BASE_URL=http://127.0.0.1:8080).
# Run: python3 test_async.py   (needs httpx: Debian's python3-httpx)
import os  # the one change, for BASE_URL
BASE_URL = os.environ.get("BASE_URL", "http://localhost:8000").rstrip("/")

# test_async.py
import asyncio, httpx, time

async def make_request(client, url):
    start = time.time()
    resp = await client.get(url)
    return {"url": url, "status": resp.status_code, "time": time.time() - start}

async def main():
    urls = [BASE_URL + "/async-delay/2"] * 3
    async with httpx.AsyncClient() as client:
        results = await asyncio.gather(*(make_request(client, u) for u in urls))
        for r in results:
            print(r)

if __name__ == "__main__":
    asyncio.run(main())
