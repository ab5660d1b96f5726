"""The FastAPI peer of loom-showcase.

The same work as the Java showcase (a sleep, one upstream call, a fan-out of calls, a query
that waits inside a pooled database, a CPU loop), written the three ways the FastAPI tutorials teach:

* ``async def`` + ``await``: the event loop (one thread) serves every request and switches
  between them at each ``await``. This is the peer of the showcase's ``virtual`` and
  ``reactive`` styles.
* ``def``: FastAPI hands the handler to Starlette's thread pool (anyio's default limiter:
  40 tokens, i.e. at most 40 ``def`` handlers run at once; the 41st waits for a token). This is
  the peer of the showcase's ``platform`` style (a bounded pool of 10 platform threads).
* blocking code inside ``async def``: the anti-pattern. The event loop itself waits, so every
  other request waits too. This is the peer of the showcase's ``eventloop-blocked`` style.

Every work endpoint answers JSON with ``scenario``, ``style``, ``handler``, ``thread``,
``pid``, ``elapsedMs`` (measured here, in the server) and the work's ``result``, plus
``mirrors`` (the showcase route it corresponds to). Parameters are bounded like the Java side
(``ms`` 0..60000, ``calls`` 1..1000); ``n`` has its own, much smaller, bound because CPython
runs this loop about a hundred times slower than the JIT (see CPU_N below). A value out of
bounds is FastAPI's default 422 (the showcase answers 400 problem+json).

``/threads/async`` and ``/threads/sync`` are the twins of the showcase's ``/threads/virtual`` and
``/threads/platform``: n tasks or n threads started in one request, answered in the showcase's
shape, and refused past their bounds with 400 problem+json, as the showcase does.

Run it with ./run.sh: by default the tutorials' server (uvicorn, one worker, asyncio + h11,
127.0.0.1:8000); PEER_WORKERS=2 PEER_LOOP=uvloop PEER_HTTP=httptools for the best one.

Two workers (PEER_WORKERS=2) are two processes, each with its own copy of every module
global, serving one listening socket. Route by route, what that changes and what this app does:

* /trivial, /whoami, /sleep/async, /http/async, /fanout/async: nothing they keep outlives a
  request, so nothing changes but the ``pid`` in the answer (each worker has its own httpx
  clients and upstream connections, as each has its own event loop).
* /sleep/blocking, /cpu/async: they block one worker's event loop; the other worker still
  serves. With two workers the anti-pattern stalls half the server, not all of it: a request
  that the kernel hands to the blocked worker waits, one handed to the other does not.
* /sleep/sync, /http/sync, /db/sync, /cpu/sync: anyio's token pool is per process: 40 tokens
  per worker, 80 in all (PEER_THREADPOOL_TOKENS sets it per worker). Left so, as a reader who
  runs ``--workers 2`` gets it; the answer's ``threadpoolTokens`` and ``pid`` say whose.
* /db/sync, /db/async: the showcase's database has one pool of 10 connections. Two pools of
  10 would double it, so the 10 are split between the workers (5 each), as a deployment splits
  a database's connection limit over its processes. A worker whose 5 are busy makes a request
  wait even when the other worker has one free: the price of not sharing a pool across processes.
* /threads/async, /threads/sync: one run at a time across all workers (a lock file per port,
  flock), since two runs at once on two cores would slow each other's figures.
"""

import asyncio
import fcntl
import gc
import math
import os
import queue
import re
import sqlite3
import sys
import tempfile
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import anyio.to_thread
import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import JSONResponse

# Where the showcase's upstream mock answers GET /delay?ms=&status= (DelayService.java).
UPSTREAM_BASE = os.environ.get("UPSTREAM_BASE", "http://127.0.0.1:8081").rstrip("/")

# The showcase's upstream timeouts (application.yaml: upstream.connect-timeout-ms and
# read-timeout-ms): a refused or silent connect ends as 502/504, an answer slower than 30 s
# as 504. Never a request that hangs forever. UPSTREAM_READ_TIMEOUT_MS lowers the read
# timeout, like the showcase's -Dupstream.read-timeout-ms (check.sh uses it to see a 504 soon).
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = int(os.environ.get("UPSTREAM_READ_TIMEOUT_MS", "30000")) / 1000
TIMEOUT = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)

# Bounds, as in the Java showcase (SleepScenario.MS, FanoutScenario.CALLS and FAIL).
MS_MAX = 60_000
CALLS_MAX = 1_000

# The CPU loop's size. The Java default is n = 10^9 (~0.3 s there). CPython runs this loop
# about 140 times slower, so the default here is 7*10^6 (0.23-0.37 s alone on this 2-core
# machine, measured: see README.md) and the cap is 10^8 (4.4 s measured), so that one request
# cannot hold the server for minutes. (Java caps n at 2*10^10.)
CPU_N_DEFAULT = 7_000_000
CPU_N_MAX = 100_000_000

# How many uvicorn workers (processes) serve this app: run.sh passes --workers and sets this,
# so that the app can split what must not double (the database pool) and say how it runs.
WORKERS = max(1, int(os.environ.get("PEER_WORKERS", "1")))

app = FastAPI(
    title="loom-showcase FastAPI peer",
    description="The FastAPI side of loom-showcase's compare/ harness: the tutorials' endpoints, "
    "as peers of the showcase's styles.",
)

# Filled in at startup (they need the running event loop).
async_client: httpx.AsyncClient
sync_client: httpx.Client
threadpool_tokens = None


@app.on_event("startup")
async def startup():
    global async_client, sync_client, threadpool_tokens
    # Starlette runs `def` handlers through anyio.to_thread.run_sync, limited by anyio's
    # default CapacityLimiter: 40 tokens. The benchmark tutorial caps it to 1 so sync I/O
    # serialises; PEER_THREADPOOL_TOKENS=1 does the same here (like the showcase's
    # -Dapp.platform-pool.size=1). Left unset, it stays at anyio's 40.
    limiter = anyio.to_thread.current_default_thread_limiter()
    tokens = os.environ.get("PEER_THREADPOOL_TOKENS")
    if tokens:
        limiter.total_tokens = int(tokens)
    threadpool_tokens = limiter.total_tokens

    # One client of each kind for the whole process, so connections to the upstream are
    # reused (a client per request would open a new connection every time).
    # trust_env=False: an HTTP(S)_PROXY in the environment must not reroute loopback calls.
    # httpx pools at most 100 connections by default; a burst of 1000 /http/async requests
    # would then run in waves of 100, a limit the Java HttpClient does not have. So the async
    # client may open as many connections as a fan-out may make calls. (Not free either:
    # httpcore 0.16 scans every pooled connection on each request, see burst.py; bursts of
    # /http/async have not been measured here.)
    async_client = httpx.AsyncClient(
        base_url=UPSTREAM_BASE,
        timeout=TIMEOUT,
        limits=httpx.Limits(max_connections=CALLS_MAX, max_keepalive_connections=100),
        trust_env=False,
    )
    # The blocking client is shared by the pool's threads; at most `threadpool_tokens` of them
    # use it at once, well under its default 100 connections.
    sync_client = httpx.Client(base_url=UPSTREAM_BASE, timeout=TIMEOUT, trust_env=False)


@app.on_event("shutdown")
async def shutdown():
    await async_client.aclose()
    sync_client.close()


# ---------------------------------------------------------------------------------------------
# What every work endpoint answers


async def arrived() -> float:
    """When the app saw the request.

    An `async def` dependency runs on the event loop before the handler, so for a `def`
    handler this is *before* it waits for a thread-pool token: its elapsedMs then includes
    that wait, like the showcase's platform style includes the wait for a pool thread.
    (For the blocking anti-pattern nothing in the server can see the wait: while the loop is
    blocked it does not even read the next request.)
    """
    return time.perf_counter()


def answer(scenario, style, handler, mirrors, t0, result, **notes):
    """The response body: which thread ran the work, and how long it took in the server."""
    now = time.perf_counter()
    thread = threading.current_thread()
    body = {
        "scenario": scenario,
        "style": style,
        "handler": handler,
        "mirrors": mirrors,
        # "MainThread" is the event loop; "AnyIO worker thread" is one of the pool's threads.
        "thread": f"{thread.name} (native id {thread.native_id})",
        "pid": os.getpid(),
        "elapsedMs": round((now - t0) * 1000),
        "result": result,
    }
    body.update(notes)
    return body


def pool_notes(t0, started):
    """Extra facts for `def` handlers: the pool's size, and how long this one waited for it."""
    return {"threadpoolTokens": threadpool_tokens, "waitedForThreadMs": round((started - t0) * 1000)}


MS = Query(1000, ge=0, le=MS_MAX, description="how long to wait, in milliseconds")


# ---------------------------------------------------------------------------------------------
# /sleep: the simplest waiting there is


@app.get("/sleep/async")
async def sleep_async(ms: int = MS, t0: float = Depends(arrived)):
    # await hands the event loop back until the timer fires: 1000 of these overlap.
    await asyncio.sleep(ms / 1000)
    return answer("sleep", "async", "async def", "/sleep/virtual", t0, {"ms": ms})


@app.get("/sleep/sync")
def sleep_sync(ms: int = MS, t0: float = Depends(arrived)):
    # A plain blocking sleep is fine here: FastAPI runs `def` handlers on Starlette's thread
    # pool, so only this pool thread waits. But there are 40 tokens: the 41st request waits
    # for one, and 100 sleeps of 1 s take about 3 s (3 waves).
    started = time.perf_counter()
    time.sleep(ms / 1000)
    return answer("sleep", "sync", "def", "/sleep/platform", t0, {"ms": ms}, **pool_notes(t0, started))


@app.get("/sleep/blocking")
async def sleep_blocking(ms: int = MS, t0: float = Depends(arrived)):
    # THE ANTI-PATTERN: time.sleep inside async def. The event loop is the only thread that
    # serves requests, and it is stuck here: every other request (even /trivial) waits.
    time.sleep(ms / 1000)
    return answer("sleep", "blocking", "async def + time.sleep", "/sleep/eventloop-blocked", t0, {"ms": ms})


# ---------------------------------------------------------------------------------------------
# /http: one call to the slow external API (the showcase's upstream mock)


class UpstreamFailed(Exception):
    """A failed upstream call, already mapped to the status the showcase answers with."""

    def __init__(self, status, detail, **facts):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.facts = facts  # e.g. upstreamStatus, failedCall


@app.exception_handler(UpstreamFailed)
async def upstream_failed(request, error: UpstreamFailed):
    return JSONResponse({"detail": error.detail, **error.facts}, status_code=error.status)


def delay_path(ms, status):
    return f"/delay?ms={ms}&status={status}"


def upstream_reply(response, call):
    """The upstream's answer as {delayMs, upstreamThread}, or an UpstreamFailed (502)."""
    if response.status_code >= 400:
        raise UpstreamFailed(502, f"The upstream answered {response.status_code} to {call}.",
                             upstreamStatus=response.status_code)
    try:
        body = response.json()
        return {"delayMs": body["ms"], "upstreamThread": body.get("thread")}
    except (ValueError, KeyError, TypeError):
        raise UpstreamFailed(502, f"The upstream's answer to {call} is not the expected JSON object.")


def upstream_error(error, call):
    """Maps httpx's errors like the showcase: a timeout is a 504, anything else a 502."""
    if isinstance(error, httpx.ConnectTimeout):
        return UpstreamFailed(504, f"Could not connect to the upstream at {UPSTREAM_BASE} "
                                   f"within {CONNECT_TIMEOUT_S:g} s.")
    if isinstance(error, httpx.TimeoutException):
        return UpstreamFailed(504, f"The upstream did not answer {call} within {READ_TIMEOUT_S:g} s.",
                              readTimeoutMs=round(READ_TIMEOUT_S * 1000))
    if isinstance(error, httpx.ConnectError):
        return UpstreamFailed(502, f"Could not connect to the upstream at {UPSTREAM_BASE} ({error}).")
    return UpstreamFailed(502, f"The call to the upstream failed: {error!r}")


async def delay_async(ms, status=200):
    """GET /delay on the upstream without blocking: the loop serves others while we wait."""
    call = "GET " + delay_path(ms, status)
    try:
        response = await async_client.get(delay_path(ms, status))
    except httpx.HTTPError as e:
        raise upstream_error(e, call) from e
    return upstream_reply(response, call)


def delay_blocking(ms, status=200):
    """The same call with the blocking client (the tutorials' `requests`): this thread waits."""
    call = "GET " + delay_path(ms, status)
    try:
        response = sync_client.get(delay_path(ms, status))
    except httpx.HTTPError as e:
        raise upstream_error(e, call) from e
    return upstream_reply(response, call)


@app.get("/http/async")
async def http_async(ms: int = MS, t0: float = Depends(arrived)):
    reply = await delay_async(ms)  # a failure is an UpstreamFailed: 502 or 504
    return answer("http", "async", "async def + httpx.AsyncClient", "/http/virtual", t0, reply)


@app.get("/http/sync")
def http_sync(ms: int = MS, t0: float = Depends(arrived)):
    # Blocking I/O in a `def` handler: correct, it runs on a pool thread, but it holds one of
    # the 40 tokens for the whole call.
    started = time.perf_counter()
    reply = delay_blocking(ms)
    return answer("http", "sync", "def + httpx.Client", "/http/platform", t0, reply, **pool_notes(t0, started))


# ---------------------------------------------------------------------------------------------
# /fanout: several upstream calls for one request


@app.get("/fanout/async")
async def fanout_async(
    calls: int = Query(3, ge=1, le=CALLS_MAX, description="how many upstream calls to make"),
    ms: int = MS,
    fail: int = Query(0, ge=0, le=CALLS_MAX, description="the call (1..calls) that answers 500 at once; 0 = none"),
    t0: float = Depends(arrived),
):
    if fail > calls:
        raise HTTPException(400, detail=f"Parameter 'fail' must be between 0 and calls ({calls}), got {fail}.")

    async def call(k):
        try:
            return await (delay_async(0, 500) if k == fail else delay_async(ms))
        except UpstreamFailed as e:
            raise UpstreamFailed(e.status, f"Call {k} of {calls} failed ({e.detail.rstrip('.')}); "
                                           "the other calls were cancelled.", **e.facts, failedCall=k)

    # All calls at once: the request takes about the slowest call, not the sum.
    tasks = [asyncio.create_task(call(k)) for k in range(1, calls + 1)]
    try:
        replies = await asyncio.gather(*tasks)
    except BaseException:
        # gather passes on the first failure but leaves the other calls running. Cancel
        # them, as the showcase's StructuredTaskScope does. (asyncio.TaskGroup, Python 3.11+,
        # would do this by itself.)
        for task in tasks:
            task.cancel()
        raise
    result = {"calls": calls, "msEach": ms, "sumOfUpstreamMs": sum(r["delayMs"] for r in replies)}
    return answer("fanout", "async", "async def + asyncio.gather", "/fanout/structured", t0, result)


# ---------------------------------------------------------------------------------------------
# /db: a query that takes `ms` inside the database, on a pool of DB_POOL connections


class DatabasePool:
    """DB_POOL SQLite connections (stdlib sqlite3), handed out one request at a time.

    The showcase's /db runs `SELECT SLEEP_MS(?)` on H2, a Java function that sleeps inside the
    database while the query holds its connection, through a Hikari pool of 10 that makes a
    request wait up to 5 s for a connection, then answers 503. Here the same: SQLite calls
    `sleep_ms`, a Python function registered on each connection, and a request waits at most
    5 s for one of the 10 connections. A sqlite3 query blocks the thread that runs it, as
    JDBC does, so the async endpoint hands it to a thread, as `databases`/aiosqlite do.
    """

    # The showcase's 10 connections, split between the workers (5 each with two): see the
    # module's docstring.
    SIZE = math.ceil(10 / WORKERS)
    WAIT_S = 5.0

    def __init__(self):
        self.free = queue.Queue()
        for _ in range(self.SIZE):
            # check_same_thread=False: a connection is used by one thread at a time, but not
            # always the same thread (the pool's threads take turns).
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.create_function("sleep_ms", 1, lambda ms: time.sleep(ms / 1000) or ms)
            self.free.put(connection)

    def query(self, ms):
        """Blocks: waits for a connection (503 after WAIT_S), then for the query."""
        asked = time.perf_counter()
        try:
            connection = self.free.get(timeout=self.WAIT_S)
        except queue.Empty:
            raise HTTPException(503, detail=f"No database connection was free within {self.WAIT_S:g} s.",
                                headers={"Retry-After": "1"})
        try:
            waited = time.perf_counter() - asked
            connection.execute("SELECT sleep_ms(?)", (ms,)).fetchone()
            return {"ms": ms, "poolSize": self.SIZE, "waitedForConnectionMs": round(waited * 1000)}
        finally:
            self.free.put(connection)


database = DatabasePool()
# The async endpoint's threads: as many as connections, so its queries never wait for one of
# the 40 tokens the `def` handlers share (aiosqlite likewise gives each connection a thread).
database_threads = anyio.CapacityLimiter(DatabasePool.SIZE)


@app.get("/db/sync")
def db_sync(ms: int = MS, t0: float = Depends(arrived)):
    # def: on a pool thread (one of 40 tokens), which then waits for one of 10 connections.
    started = time.perf_counter()
    result = database.query(ms)
    return answer("db", "sync", "def + sqlite3", "/db/platform", t0, result, **pool_notes(t0, started))


@app.get("/db/async")
async def db_async(ms: int = MS, t0: float = Depends(arrived)):
    # async def: the loop stays free while a thread runs the blocking query; either way at
    # most 10 queries run at once, so 100 queries of 100 ms take about 1 s.
    result = await anyio.to_thread.run_sync(database.query, ms, limiter=database_threads)
    return answer("db", "async", "async def + thread offload", "/db/reactive", t0, result)


# ---------------------------------------------------------------------------------------------
# /cpu: work that never waits, only computes


def sum_of_squares(n):
    """The showcase's CPU work: the sum of i*i for i < n, in a plain loop (the tutorial's /cycle)."""
    total = 0
    for i in range(n):
        total += i * i
    # Python ints never overflow; Java's long wraps at 2^64. Wrap the same way, so both sides
    # return the same number for the same n.
    return {"n": n, "sumOfSquares": (total + 2**63) % 2**64 - 2**63}


N = Query(CPU_N_DEFAULT, ge=1, le=CPU_N_MAX, description="iterations of the loop (about 0.3 s per 7*10^6 here)")


@app.get("/cpu/async")
async def cpu_async(n: int = N, t0: float = Depends(arrived)):
    # There is no await in a CPU loop, so the loop never gives the event loop back: while it
    # runs, no other request is even read. `async` does not make computing concurrent.
    return answer("cpu", "async", "async def", "/cpu/virtual", t0, sum_of_squares(n))


@app.get("/cpu/sync")
def cpu_sync(n: int = N, t0: float = Depends(arrived)):
    # On a pool thread the event loop stays free (the GIL switches threads every 5 ms), so
    # small requests still get answers. But the GIL lets one thread compute at a time: 20 loops
    # take as long as on the event loop, and the second core does not help. The real fix is a
    # process pool (the showcase's `platform` pool of one thread per core does use both).
    started = time.perf_counter()
    return answer("cpu", "sync", "def", "/cpu/platform", t0, sum_of_squares(n), **pool_notes(t0, started))


# ---------------------------------------------------------------------------------------------
# /threads: n sleepers started in one request, and what each one cost
#
# The twins of the showcase's /threads/virtual and /threads/platform (ThreadsScenario.java):
# the same parameters, the same bounds where this machine allows them, the same result fields.

# A task is a small object on the heap, like a virtual thread: a million fit (about 1 KiB each,
# measured here), but CPython takes 10-15 s to create them on this machine, and the event loop
# serves nothing else meanwhile. A thread is an OS thread: Python started 30,000 sleeping ones
# here without an error (ulimit -u 96364, kernel.threads-max 192729), but at about 0.5 ms each,
# so past about 2,000 per second of sleep the first have ended before the last start. The bound
# stays the showcase's 10,000.
THREADS_ASYNC_MAX = 1_000_000
THREADS_SYNC_MAX = 10_000
THREADS_MS_MAX = 10_000
# The heap each one takes is measured by tracemalloc over the run's first HEAP_SAMPLE sleepers
# only: tracing every allocation slows starting a million tasks by half (measured: 15 s against
# 10 s), and startAllMs must not pay for it. Past the sample, tracing is off.
HEAP_SAMPLE = 1_000
RETRY_AFTER_S = 1  # the showcase's app.retry-after-seconds


class Problem(Exception):
    """An RFC 9457 problem+json answer, in the showcase's words (web/Problem.java)."""

    def __init__(self, status, title, detail, headers=None, **members):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.members = members  # e.g. parameter, minimum, maximum


@app.exception_handler(Problem)
async def problem(request, error: Problem):
    body = {"type": "about:blank", "title": error.title, "status": error.status, "detail": error.detail,
            **error.members}
    return JSONResponse(body, status_code=error.status, headers=error.headers,
                        media_type="application/problem+json")


INTEGER = re.compile(r"[+-]?[0-9]{1,30}")  # ASCII digits only, as the showcase's Parameter


def bounded(name, raw, minimum, maximum):
    """A query parameter held to its bounds: 400 problem+json naming it, as the showcase answers.

    (FastAPI's own Query(ge=, le=) answers 422 with its own body; these two routes speak the
    showcase's language, so that compare/ can send both sides the same bad requests.)
    """
    def invalid(why):
        return Problem(400, "Bad request", f"Parameter '{name}' {why}.", parameter=name,
                       minimum=minimum, maximum=maximum)
    raw = raw.strip()
    if not INTEGER.fullmatch(raw):
        raise invalid(f"must be an integer, got '{raw[:40]}'")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise invalid(f"must be between {minimum} and {maximum}, got {value}")
    return value


class OneRunAtATime:
    """One /threads run at a time in all the workers on this port: an flock on a lock file.

    A lock in a module global would be one per worker; flock locks are per open file, so they
    also refuse a second run in the same process. The kernel lets go if the process dies.
    """

    def __init__(self):
        port = os.environ.get("PEER_PORT", "default")
        self.path = os.path.join(tempfile.gettempdir(), f"loom-showcase-peer-threads-{port}.lock")
        self.file = None

    def __enter__(self):
        self.file = open(self.path, "a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise Problem(503, "Busy", "Another /threads run is in progress; its figures would include "
                          "this one's threads.", headers={"Retry-After": str(RETRY_AFTER_S)})
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def resident_bytes():
    """This process's resident set (VmRSS of /proc/self/status), or 0 where there is no /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class HeapSample:
    """tracemalloc over the first sleepers of a run: bytes traced per sleeper started meanwhile."""

    def __init__(self):
        self.was_tracing = tracemalloc.is_tracing()
        if not self.was_tracing:
            tracemalloc.start()
        self.before = tracemalloc.get_traced_memory()[0]

    def per(self, count):
        grown = tracemalloc.get_traced_memory()[0] - self.before
        if not self.was_tracing:
            tracemalloc.stop()
        return max(0, grown // max(1, count))


def threads_result(n, ms, start, started_all, ended, peak, heap_each, rss_growth):
    """The showcase's fields (ThreadsScenario.Started, without its JVM-specific note)."""
    start_all_ms, makespan_ms = round((started_all - start) * 1000), round((ended - start) * 1000)
    return {"n": n, "ms": ms, "startAllMs": start_all_ms, "makespanMs": makespan_ms, "peakLive": peak,
            "heapBytesPerThread": heap_each, "rssBytesPerThread": max(0, rss_growth // n),
            # What the makespan holds beyond starting them and one sleep: the wake-up phase (for
            # tasks, the one loop running each timer's callback and gather's bookkeeping).
            "wakeMs": max(0, makespan_ms - start_all_ms - ms)}


async def gather_sleepers(n, ms):
    """n asyncio tasks that each sleep ms, awaited together: the twin of n virtual threads."""
    alive = peak = 0

    async def sleeper():
        nonlocal alive, peak
        alive += 1
        peak = max(peak, alive)
        try:
            await asyncio.sleep(ms / 1000)
        finally:
            alive -= 1

    # A collection first, so the baseline holds only live objects (the showcase's System.gc()).
    gc.collect()
    rss_before = resident_bytes()
    start = time.perf_counter()
    sample = min(n, HEAP_SAMPLE)
    heap = HeapSample()
    tasks = [asyncio.create_task(sleeper()) for _ in range(sample)]
    # create_task only schedules a task; one turn of the loop runs each to its first await, so
    # that it is sleeping on a timer (its timer and future are then part of what it costs).
    await asyncio.sleep(0)
    heap_each = heap.per(sample)
    tasks += [asyncio.create_task(sleeper()) for _ in range(n - sample)]
    await asyncio.sleep(0)
    started_all = time.perf_counter()
    rss_growth = resident_bytes() - rss_before
    await asyncio.gather(*tasks)
    return threads_result(n, ms, start, started_all, time.perf_counter(), peak, heap_each, rss_growth)


def pool_of_sleepers(n, ms):
    """A ThreadPoolExecutor(max_workers=n) given n sleeps: the twin of n platform threads.

    The pool starts a thread per submit while it has no idle one; a thread whose sleep has
    ended is idle and takes the next submit. So when starting n takes longer than one sleep,
    fewer than n threads ever live at once: peakLive says how many did.
    """
    lock = threading.Lock()
    alive = peak = 0

    def sleeper():
        nonlocal alive, peak
        with lock:
            alive += 1
            peak = max(peak, alive)
        try:
            time.sleep(ms / 1000)
        finally:
            with lock:
                alive -= 1

    gc.collect()
    rss_before = resident_bytes()
    start = time.perf_counter()
    sample = min(n, HEAP_SAMPLE)
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="threads-sync") as pool:
        heap = HeapSample()
        # submit starts the thread and waits until it runs (Thread.start waits for it).
        futures = [pool.submit(sleeper) for _ in range(sample)]
        heap_each = heap.per(sample)
        futures += [pool.submit(sleeper) for _ in range(n - sample)]
        started_all = time.perf_counter()
        rss_growth = resident_bytes() - rss_before
        for future in futures:
            future.result()
    # Leaving the with block joined the pool's threads.
    return threads_result(n, ms, start, started_all, time.perf_counter(), peak, heap_each, rss_growth)


THREADS_MS_DOC = "how long each one sleeps, in milliseconds (0..10000)"


@app.get("/threads/async")
async def threads_async(
    n: str = Query("10000", description="how many asyncio tasks to start (1..1000000)"),
    ms: str = Query("1000", description=THREADS_MS_DOC),
    t0: float = Depends(arrived),
):
    count, sleep_ms = bounded("n", n, 1, THREADS_ASYNC_MAX), bounded("ms", ms, 0, THREADS_MS_MAX)
    # On the event loop: creating the tasks holds it (10-15 s for a million), the waiting does not.
    with OneRunAtATime():
        result = await gather_sleepers(count, sleep_ms)
    return answer("threads", "async", "async def + asyncio.gather", "/threads/virtual", t0, result,
                  heapMeasuredBy=f"tracemalloc, over the first {min(count, HEAP_SAMPLE)} tasks")


@app.get("/threads/sync")
def threads_sync(
    n: str = Query("1000", description="how many threads to start (1..10000)"),
    ms: str = Query("1000", description=THREADS_MS_DOC),
    t0: float = Depends(arrived),
):
    # def: on a pool thread (one of the 40 tokens), which starts the n threads and joins them.
    count, sleep_ms = bounded("n", n, 1, THREADS_SYNC_MAX), bounded("ms", ms, 0, THREADS_MS_MAX)
    with OneRunAtATime():
        result = pool_of_sleepers(count, sleep_ms)
    # tracemalloc sees a thread's Python objects; its C stack is outside Python's allocator,
    # so it shows in the resident set only.
    return answer("threads", "sync", "def + ThreadPoolExecutor(max_workers=n)", "/threads/platform", t0, result,
                  heapMeasuredBy=f"tracemalloc, over the first {min(count, HEAP_SAMPLE)} threads "
                                 "(their Python objects; the stacks show in rssBytesPerThread)")


# ---------------------------------------------------------------------------------------------
# Not work: the throughput endpoint, and who is serving


@app.get("/trivial")
async def trivial():
    # async def: answered on the event loop, without a hop to the thread pool. The cheapest
    # request this app can serve, for requests-per-second figures.
    return {"ok": True}


@app.get("/whoami")
async def whoami():
    thread = threading.current_thread()
    loop = type(asyncio.get_running_loop())
    return {
        "thread": thread.name,
        "threadId": thread.native_id,
        "eventLoopThread": thread is threading.main_thread(),  # uvicorn runs the loop on the main thread
        "pid": os.getpid(),
        "activeThreads": threading.active_count(),  # the loop, plus the pool threads started so far
        "threadpoolTokens": threadpool_tokens,
        "workers": WORKERS,  # processes serving the port; this answer is from one of them (pid)
        # asyncio's own loop or uvloop's: run.sh pins it (uvicorn's `auto` would take uvloop if installed).
        "eventLoop": f"{loop.__module__}.{loop.__name__}",
        "cpuCount": os.cpu_count(),
        "pythonVersion": sys.version.split()[0],
        "upstream": UPSTREAM_BASE,
    }
