#!/usr/bin/env bash
# Install summarizer into .venv and brief the sample reports offline into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/summarizer batch seeds -o out "$@"
