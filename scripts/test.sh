#!/usr/bin/env bash
# Install everything the tests need (idempotent), then run lint, types, tests and the eval gate.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

# The one-page print test needs headless Chromium, CJK fonts and pdfinfo/pdftoppm.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 \
   || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium, fonts-noto-cjk, poppler-utils (apt)…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
       chromium fonts-noto-cjk poppler-utils >/dev/null) || echo "apt install failed: print tests will fail"
  fi
fi

export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"; ruff check summarizer tests scripts benchmarks && ruff format --check summarizer tests scripts benchmarks
echo "== mypy"; mypy
echo "== pytest"; pytest -p no:cacheprovider -n 2 "$@"
if [ -f evals/baseline.json ]; then
  echo "== eval gate (seeds)"; summarizer eval --baseline evals/baseline.json --no-record
fi
if [ -f evals/varied/baseline.json ]; then
  echo "== eval gate (held-out varied reports)"
  summarizer eval --labels evals/varied/labels --reports evals/varied/reports \
    --baseline evals/varied/baseline.json --no-record --show 0
fi
if [ -f evals/real/baseline.json ]; then
  echo "== eval gate (real corpus reports)"
  summarizer eval --labels evals/real/labels --reports evals/real/reports \
    --baseline evals/real/baseline.json --no-record --show 0
fi
