#!/usr/bin/env bash
# Benchmark of `prepare` on the 50k real IMDB reviews vs the Python baseline's preprocessing (see prepare_bench.py).
# Run it on a quiet machine: ./bench/prepare.sh [--repeat N] [--json out.json]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./review-rnn --version >/dev/null   # builds the job jar if needed
exec /usr/bin/python3 bench/prepare_bench.py "$@"
