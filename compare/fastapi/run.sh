#!/usr/bin/env bash
# Serves the FastAPI peer with uvicorn: 127.0.0.1 only, no reload, no access log (it would cost
# more than /trivial itself). Extra arguments go to uvicorn, e.g. ./run.sh --backlog 8192.
#
# By default the tutorials' server: one worker (one process, one event loop, like the
# showcase's one JVM) on asyncio + h11, written out: uvicorn's `auto` picks uvloop and
# httptools whenever they are installed, so an unpinned run is not the tutorials' server.
# The best this machine's packages allow (compare/run's fastapi-best):
#   PEER_WORKERS=2 PEER_LOOP=uvloop PEER_HTTP=httptools ./run.sh
# (Debian: apt-get install python3-uvloop python3-httptools)
#
#   PEER_PORT=8000                             the port (default 8000)
#   PEER_WORKERS=1                             uvicorn worker processes (default 1)
#   PEER_LOOP=asyncio                          the event loop: asyncio or uvloop
#   PEER_HTTP=h11                              the HTTP parser: h11 or httptools
#   UPSTREAM_BASE=http://127.0.0.1:8081        the showcase's upstream mock, for /http and /fanout
#   PEER_THREADPOOL_TOKENS=40                  threads for `def` handlers, per worker (anyio's default: 40)
#   UPSTREAM_READ_TIMEOUT_MS=30000             how long an upstream call may take before a 504
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/find-python.sh"

port=${PEER_PORT:-8000}
if ! [[ $port =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
    echo "error: PEER_PORT must be a port number (1..65535), got '$port'" >&2
    exit 2
fi
workers=${PEER_WORKERS:-1}
if ! [[ $workers =~ ^[0-9]+$ ]] || (( workers < 1 || workers > 64 )); then
    echo "error: PEER_WORKERS must be 1..64, got '$workers'" >&2
    exit 2
fi
loop=${PEER_LOOP:-asyncio}
http=${PEER_HTTP:-h11}
case "$loop" in asyncio) ;; uvloop) module=uvloop ;; *) echo "error: PEER_LOOP must be asyncio or uvloop, got '$loop'" >&2; exit 2 ;; esac
case "$http" in h11) ;; httptools) module="${module:+$module, }httptools" ;; *) echo "error: PEER_HTTP must be h11 or httptools, got '$http'" >&2; exit 2 ;; esac
if [ -n "${module:-}" ] && ! "$PY" -c "import ${module}" >/dev/null 2>&1; then
    echo "error: $PY cannot import ${module}. Install Debian's packages: apt-get install python3-uvloop python3-httptools" >&2
    exit 1
fi

echo "FastAPI peer: http://127.0.0.1:$port  ($workers worker(s), $loop + $http; upstream: ${UPSTREAM_BASE:-http://127.0.0.1:8081}, python: $PY)"
cd "$here"
# No .pyc files in the repository tree.
export PYTHONDONTWRITEBYTECODE=1
# The app reads these: the workers split the database pool, and share one /threads lock per port.
export PEER_PORT=$port PEER_WORKERS=$workers
exec "$PY" -m uvicorn app:app --host 127.0.0.1 --port "$port" --workers "$workers" --loop "$loop" --http "$http" \
    --no-access-log "$@"
