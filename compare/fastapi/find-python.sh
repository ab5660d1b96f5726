# Sourced by run.sh and check.sh: sets PY to a Python that can import fastapi, uvicorn and
# httpx, or says what to install and exits.
#
# The Debian packages (python3-fastapi, ...) install into the system Python, /usr/bin/python3.
# A python3 earlier on the PATH (pyenv, a venv) does not see them, so that one is tried first;
# $PYTHON overrides both.
PY=""
for candidate in ${PYTHON:-} /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import fastapi, uvicorn, httpx' >/dev/null 2>&1; then
        PY=$(command -v "$candidate")
        break
    fi
done
if [ -z "$PY" ]; then
    echo "error: no Python here can import fastapi, uvicorn and httpx." >&2
    echo "       Install the Debian packages:  apt-get install python3-fastapi python3-uvicorn python3-httpx" >&2
    echo "       (or point PYTHON at an interpreter that has them)." >&2
    exit 1
fi
