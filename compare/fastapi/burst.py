"""Burst: N concurrent GETs at one URL on 127.0.0.1, each on its own connection.

    /usr/bin/python3 compare/fastapi/burst.py -n 1000 'http://127.0.0.1:8000/sleep/async?ms=1000'

The Python peer of the project's load generator's burst (compare/load burst), written with what the tutorials use (asyncio + httpx):
AsyncClients whose pools may open N connections in all, every request sent with
"Connection: close" so none is reused, all N started at t0. It prints the makespan (t0 to the
last answer), the latency percentiles (each request's own start to its answer) and, when the
answers carry it, the server's own elapsedMs.

Why several clients, not one with max_connections=N: httpcore's pool (0.16, Debian 12) scans
every connection it holds each time a request acquires or releases one, so one pool of N
connections costs the client O(N^2). Measured here: with one pool, N=2000 spent most of 24 s
in that scan and N=5000 took 58-72 s, the client at 100% of a core while the server's
elapsedMs stayed at 1 s: the burst measured httpx, not the server. So the N requests are
spread over pools of --pool-size connections (default 100). --pool-size N gives the
single-pool client back.

Unlike compare/load burst, which opens all N connections first and then releases every request at
once, here each request opens its own connection as part of its latency: the figures include
the connects, and the client's own work (pure-Python HTTP, on the same 2 cores as the server).

Exits 0 only when every request got a 2xx answer; 1 otherwise; 2 on bad arguments.
"""

import argparse
import asyncio
import contextlib
import math
import resource
import sys
import time
import urllib.parse

import httpx

MAX_N = 10_000


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def raise_fd_limit(n):
    """Each connection is a file descriptor here (and one at the server). Raise our soft limit
    towards the hard one if N needs it; say so if even that is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = n + 256
    if soft != resource.RLIM_INFINITY and soft < needed:
        new = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    if soft != resource.RLIM_INFINITY and soft < needed:
        print(f"warning: -n {n} needs about {needed} file descriptors, the limit is {soft} "
              f"(raise it: ulimit -n {needed})", file=sys.stderr)


async def burst(url, n, timeout_s, pool_size):
    results = [None] * n  # per request: (status or None, start, end, error)
    server_ms = []  # the server's own elapsedMs, when it answers with one

    # Request i goes through client i // pool_size, whose pool may hold pool_size connections:
    # N connections in all, so no request waits for another's connection.
    limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
    # No single request may outlive the whole run; trust_env=False: no proxy for loopback.
    timeout = httpx.Timeout(timeout_s)
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(
                       httpx.AsyncClient(limits=limits, timeout=timeout, trust_env=False,
                                         headers={"Connection": "close"}))
                   for _ in range(math.ceil(n / pool_size))]

        async def one(i):
            start = time.perf_counter()
            try:
                response = await clients[i // pool_size].get(url)
                await response.aread()
                results[i] = (response.status_code, start, time.perf_counter(), None)
                try:
                    server_ms.append(response.json()["elapsedMs"])
                except (ValueError, KeyError, TypeError):
                    pass
            except Exception as e:  # a refused connect, a timeout, "Too many open files", ...
                results[i] = (None, start, time.perf_counter(), f"{type(e).__name__}: {e}")

        t0 = time.perf_counter()
        tasks = [asyncio.create_task(one(i)) for i in range(n)]
        done, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return t0, results, len(pending), server_ms


def main():
    parser = argparse.ArgumentParser(description="N concurrent GETs at one URL on 127.0.0.1.")
    parser.add_argument("-n", type=int, default=100, help=f"concurrent requests, 1..{MAX_N} (default 100)")
    parser.add_argument("--pool-size", type=int, default=100,
                        help="connections per AsyncClient (default 100; N = one client for all)")
    parser.add_argument("--timeout-s", type=float, default=120, help="overall time limit, 1..600 s (default 120)")
    parser.add_argument("url")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.url)
    # A load generator pointed at someone else's server is an attack: loopback only.
    if url.scheme != "http" or url.hostname != "127.0.0.1":
        parser.error(f"refusing {args.url}: only plain http://127.0.0.1[:port]/... is allowed")
    if not 1 <= args.n <= MAX_N:
        parser.error(f"-n must be between 1 and {MAX_N}")
    if args.pool_size < 1:
        parser.error("--pool-size must be at least 1")
    if not 1 <= args.timeout_s <= 600:
        parser.error("--timeout-s must be between 1 and 600")

    raise_fd_limit(args.n)
    t0, results, unfinished, server_ms = asyncio.run(burst(args.url, args.n, args.timeout_s, min(args.pool_size, args.n)))

    answered = [r for r in results if r is not None and r[0] is not None]
    ok = [r for r in answered if 200 <= r[0] < 300]
    errors = {}
    for r in results:
        if r is not None and r[3] is not None:
            errors.setdefault(r[3].split(":")[0], r[3])
    error_count = sum(1 for r in results if r is not None and r[3] is not None)
    latencies = sorted((end - start) * 1000 for _, start, end, _ in answered)
    makespan = (max(r[2] for r in answered) - t0) * 1000 if answered else float("nan")

    pools = math.ceil(args.n / min(args.pool_size, args.n))
    print(f"GET {args.url}  N={args.n}  ({pools} AsyncClient{'s' if pools > 1 else ''})")
    print(f"makespan {makespan:.0f} ms   latency p50 {percentile(latencies, 50):.0f}  "
          f"p90 {percentile(latencies, 90):.0f}  p99 {percentile(latencies, 99):.0f}  "
          f"max {percentile(latencies, 100):.0f} ms")
    if server_ms:
        # What the server measured inside the handler. Far below the latency means the time went
        # to connecting, queueing for the event loop, or the client itself.
        server_ms.sort()
        print(f"server's elapsedMs p50 {percentile(server_ms, 50)}  p99 {percentile(server_ms, 99)}  "
              f"max {server_ms[-1]}")
    print(f"2xx {len(ok)}   non-2xx {len(answered) - len(ok)}   errors {error_count}   "
          f"unfinished at the {args.timeout_s:g} s limit {unfinished}")
    for kind, example in errors.items():
        print(f"  error {kind}, e.g. {example[:200]}")
    sys.exit(0 if len(ok) == args.n else 1)


if __name__ == "__main__":
    main()
