#!/usr/bin/env bash
# Training benchmark (issue 4), one run: LSTM and GRU on real IMDB with review-rnn on local[2] with 2 workers and
# with 1 worker, each side by side with the PyTorch baseline (torch_imdb.py, 2 threads); per epoch: training
# samples/s, validation time, and the time to write history, plots and the best/last checkpoints.
#
#   bench/train.sh [--epochs 5] [--models lstm,gru] [work-dir]
#
# Calls bench/imdb-epoch.sh once per worker count (same prepared corpus, same session) and prints both tables and
# the 2-vs-1-worker throughput. Results: <work-dir>/train.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EPOCHS=5
MODELS=lstm,gru
WORK=/tmp/review-rnn-train-bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) EPOCHS=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) WORK=$1; shift ;;
  esac
done
mkdir -p "$WORK/w2" "$WORK/w1"
"$ROOT/bench/imdb-epoch.sh" --no-reference --epochs "$EPOCHS" --models "$MODELS" --workers 2 "$WORK/w2"
# Reuse the extracted corpus and the prepared corpus of the first pass.
ln -sfn "$WORK/w2/imdb" "$WORK/w1/imdb"
ln -sfn "$WORK/w2/prepared" "$WORK/w1/prepared"
"$ROOT/bench/imdb-epoch.sh" --no-reference --epochs "$EPOCHS" --models "$MODELS" --workers 1 "$WORK/w1"
/usr/bin/python3 - "$WORK" "$MODELS" <<'PY' | tee "$WORK/train.md"
import json, os, statistics, sys
work, models = sys.argv[1], sys.argv[2].split(',')
def steady(xs):
    return statistics.median(xs[2:]) if len(xs) > 3 else statistics.median(xs[1:]) if len(xs) > 1 else xs[0]
for w in ('w2', 'w1'):
    print(open(os.path.join(work, w, 'imdb-epoch.md')).read())
print('| model | 1 worker train/s | 2 workers train/s | 2 vs 1 | PyTorch train/s (same session) |')
print('|---|---|---|---|---|')
for m in models:
    r = {}
    for w in ('w1', 'w2'):
        h = json.load(open(os.path.join(work, w, 'runs', f'{m}-fast', 'history.json')))['epochs']
        r[w] = steady([e['samples_per_second'] for e in h])
    t = json.load(open(os.path.join(work, 'w2', f'torch-{m}.json')))['results'][0]['history']
    ts = steady([e['train_samples_per_s'] for e in t])
    print(f"| {m} | {r['w1']:.0f} | {r['w2']:.0f} | {r['w2'] / r['w1']:.2f}x | {ts:.0f} |")
PY
