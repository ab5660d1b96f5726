#!/usr/bin/env bash
# Serves the FastAPI peer with uvicorn: 127.0.0.1 only, one worker (one process, one event
# loop, like the showcase's one JVM), no reload, no access log (it would cost more than
# /trivial itself). Extra arguments go to uvicorn, e.g. ./run.sh --backlog 8192.
#
#   PEER_PORT=8000                             the port (default 8000)
#   UPSTREAM_BASE=http://127.0.0.1:8081        the showcase's upstream mock, for /http and /fanout
#   PEER_THREADPOOL_TOKENS=40                  threads for `def` handlers (anyio's default: 40)
#   UPSTREAM_READ_TIMEOUT_MS=30000             how long an upstream call may take before a 504
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/find-python.sh"

port=${PEER_PORT:-8000}
if ! [[ $port =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
    echo "error: PEER_PORT must be a port number (1..65535), got '$port'" >&2
    exit 2
fi

echo "FastAPI peer: http://127.0.0.1:$port  (upstream: ${UPSTREAM_BASE:-http://127.0.0.1:8081}, python: $PY)"
cd "$here"
# No .pyc files in the repository tree.
export PYTHONDONTWRITEBYTECODE=1
exec "$PY" -m uvicorn app:app --host 127.0.0.1 --port "$port" --workers 1 --no-access-log "$@"
