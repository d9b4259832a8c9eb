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

# tests/test_batch_api_servers.py runs --batch-api against independent servers of the OpenAI
# Files and Batches API (Llama Stack, llmock). Llama Stack needs Python >= 3.12, so they have a
# venv of their own, pinned by tests/batch_servers/requirements.txt (about 100 s on a clean
# machine, 800 MB).
SERVER_REQS=tests/batch_servers/requirements.txt
if ! cmp -s "$SERVER_REQS" .venv-batch-servers/requirements.txt; then
  PY312=""
  for py in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3 \
            "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 python3.12 python3.13; do
    if "$py" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
      PY312=$py
      break
    fi
  done
  if [ -z "$PY312" ]; then
    echo "no Python >= 3.12 found: tests/test_batch_api_servers.py cannot run" >&2
  else
    echo "installing the independent Batch API servers ($PY312)…"
    rm -rf .venv-batch-servers
    "$PY312" -m venv .venv-batch-servers
    .venv-batch-servers/bin/python -m pip install -q --disable-pip-version-check -r "$SERVER_REQS"
    cp "$SERVER_REQS" .venv-batch-servers/requirements.txt
  fi
fi

# The one-page print test needs headless Chromium, CJK fonts and pdfinfo/pdftoppm; the index
# page test drives the same Chromium with Playwright (a dev extra; it downloads no browser).
# fc-list's output is read into a variable first: piped into `grep -q`, which exits at the first
# match, fc-list dies of SIGPIPE and, under pipefail, the check failed although the font is there.
fonts=$(fc-list 2>/dev/null || true)
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 \
   || ! grep -qi "Noto Sans CJK" <<<"$fonts"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium, fonts-noto-cjk, poppler-utils (apt)…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
       chromium fonts-noto-cjk poppler-utils >/dev/null) || echo "apt install failed: print tests will fail"
  fi
fi

# A failing step stops the script (set -e); name it and the steps that did not run, so a red run
# is never read as "the eval gates passed".
STEPS=(ruff mypy pytest "eval gate (seeds)" "eval gate (held-out varied reports)"
  "eval gate (real corpus reports)" "eval gate (tracking: targets against actuals)")
step=""
stopped() {
  local rc=$? s found="" skipped=""
  if [ "$rc" -eq 0 ] || [ -z "$step" ]; then
    return
  fi
  for s in "${STEPS[@]}"; do
    [ -n "$found" ] && skipped="$skipped, $s"
    [ "$s" = "$step" ] && found=1
  done
  echo "scripts/test.sh: FAILED at $step (exit $rc)${skipped:+; did not run: ${skipped#, }}" >&2
}
trap stopped EXIT

export PATH="$PWD/.venv/bin:$PATH"
# one command a line: set -e ignores a failure on the left of `&&`
step=ruff; echo "== $step"
ruff check summarizer tests scripts benchmarks
ruff format --check summarizer tests scripts benchmarks
step=mypy; echo "== $step"; mypy
step=pytest; echo "== $step"; pytest -p no:cacheprovider -n 2 "$@"
if [ -f evals/baseline.json ]; then
  step="${STEPS[3]}"; echo "== $step"
  summarizer eval --baseline evals/baseline.json --no-record
fi
if [ -f evals/varied/baseline.json ]; then
  step="${STEPS[4]}"; echo "== $step"
  summarizer eval --labels evals/varied/labels --reports evals/varied/reports \
    --baseline evals/varied/baseline.json --no-record --show 0
fi
if [ -f evals/real/baseline.json ]; then
  step="${STEPS[5]}"; echo "== $step"
  summarizer eval --labels evals/real/labels --reports evals/real/reports \
    --baseline evals/real/baseline.json --no-record --show 0
fi
if [ -f evals/baseline_tracking.json ]; then
  step="${STEPS[6]}"; echo "== $step"
  summarizer eval-track --baseline evals/baseline_tracking.json --show 0
fi
step=""
echo "== all steps passed"
