#!/usr/bin/env bash
# ONNX inference benchmark (issue 18): inference reviews/s of the exported LSTM and GRU in ONNX Runtime, of the same
# networks in our fast DL4J layers, and PyTorch's inference figure from torch_imdb.py, side by side in one run.
#
#   bench/onnx-inference.sh [--models lstm,gru] [--reviews 25000] [--repeats 3] [--torch-threads "2 1"] [work-dir]
#
# Java side (io.reviewrnn.bench.OnnxInferenceBench, no Spark): each conf/models spec as ModelFactory builds it (fast
# layers, 1 thread, as `score` runs it) and its export (the model.onnx bytes `review-rnn export` writes) in ONNX
# Runtime with 1 and 2 intra-op threads; --reviews random id rows of maxlen 100, batches of 1024, median of --repeats
# passes after a warm-up pass. PyTorch side: torch_imdb.py --max-epochs 1 per thread count; its infer/s is a forward
# pass over the 25,000 IMDB test reviews at batch 1024 (median of 3) after one epoch of training. Inference time does
# not depend on the weights or on which ids are fed (every row is maxlen long), so the two inputs are comparable.
# Both sides also print their machine load; reviews per CPU-second (Java) stay meaningful on a loaded machine.
#
# Needs: the Maven dependencies cached (runs ./mvnw offline), /usr/bin/python3 with torch (apt-get install
# python3-torch), the labelled IMDB archive at $SHARED/data/aclImdb-labeled.tar.gz (SHARED defaults to ../shared).
# Output: a table on stdout and in <work-dir>/onnx-inference.md (default /tmp/review-rnn-onnx-bench), JSON beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODELS=lstm,gru
REVIEWS=25000
REPEATS=3
TORCH_THREADS="2 1"
WORK=/tmp/review-rnn-onnx-bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --reviews) REVIEWS=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --torch-threads) TORCH_THREADS=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) WORK=$1; shift ;;
  esac
done
SHARED="${SHARED:-$ROOT/../shared}"
ARCHIVE="$SHARED/data/aclImdb-labeled.tar.gz"
TORCH_IMDB="$SHARED/baselines/torch_imdb.py"
mkdir -p "$WORK"
rm -f "$WORK"/java.json "$WORK"/torch*.json "$WORK"/torch*.log

./mvnw -o -q -pl core test-compile
./mvnw -o -q -pl core dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="core/target/test-classes:core/target/classes:$(cat "$WORK/classpath.txt")"
if [[ ! -d "$WORK/imdb/aclImdb" ]]; then
  mkdir -p "$WORK/imdb" && tar xzf "$ARCHIVE" -C "$WORK/imdb"
fi

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" \
  | tee "$WORK/header.txt"
# ND4J's own native ops in these networks are tiny; one OpenMP thread, as in bench/rnn-speed.sh.
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java -Xmx2g -cp "$CP" io.reviewrnn.bench.OnnxInferenceBench --models "$MODELS" \
    --reviews "$REVIEWS" --repeats "$REPEATS" --out "$WORK/java.json" 2>"$WORK/java.log" \
  || { tail -20 "$WORK/java.log"; exit 1; }

torch_models=$(echo "$MODELS" | sed 's/lstm-2layer/lstm2/; s/lstm-dropout/lstm_dropout/; s/simplernn-embedding/simplernn_embed/; s/simplernn-onehot/simplernn_onehot/')
for th in $TORCH_THREADS; do
  echo "== PyTorch, $th thread(s): torch_imdb.py --models $torch_models --max-epochs 1"
  env -u OMP_NUM_THREADS /usr/bin/python3 "$TORCH_IMDB" --data "$WORK/imdb/aclImdb" --models "$torch_models" \
      --max-epochs 1 --threads "$th" --out "$WORK/torch$th.json" >"$WORK/torch$th.log" 2>&1 \
    || { tail -20 "$WORK/torch$th.log"; exit 1; }
  grep -E '^(lstm|gru|simplernn|lstm2)' "$WORK/torch$th.log" || true
done

/usr/bin/python3 - "$WORK" "$MODELS" "$TORCH_THREADS" <<'PY' | tee "$WORK/onnx-inference.md"
import json, os, sys
work, models, torch_threads = sys.argv[1], sys.argv[2].split(','), sys.argv[3].split()
alias = {'lstm-2layer': 'lstm2', 'lstm-dropout': 'lstm_dropout', 'simplernn-embedding': 'simplernn_embed',
         'simplernn-onehot': 'simplernn_onehot'}
java = {(r['model'], r['engine'], r['threads']): r for r in json.load(open(os.path.join(work, 'java.json')))}
torch = {}
for th in torch_threads:
    t = json.load(open(os.path.join(work, f'torch{th}.json')))
    for r in t['results']:
        torch[(r['model'], int(th))] = r
def fmt(v):
    return '%.0f' % v if v else 'n/a'
def ratio(a, b):
    return '%.2f' % (a / b) if a and b else 'n/a'
print(open(os.path.join(work, 'header.txt')).read().strip())
print()
print('Inference reviews/s, wall clock, maxlen 100, batch 1024 (reviews per CPU-second of the JVM in brackets).')
print()
cols = ['fast-1', 'ONNX Runtime-1', 'ONNX Runtime-2'] + [f'PyTorch-{th}' for th in torch_threads]
print('| model | ' + ' | '.join(cols) + ' | ONNX-1 / fast-1 | ' + ' | '.join(
    f'ONNX-{th} / PyTorch-{th}' for th in torch_threads) + ' | max abs(p_onnx - p_fast) |')
print('|---' * (len(cols) + len(torch_threads) + 3) + '|')
for m in models:
    f = java.get((m, 'fast', 1))
    o1, o2 = java.get((m, 'onnxruntime', 1)), java.get((m, 'onnxruntime', 2))
    def cell(r):
        return '%s (%s)' % (fmt(r['reviews_per_s']), fmt(r['reviews_per_cpu_s'])) if r else 'n/a'
    tv = {th: torch.get((alias.get(m, m), int(th)), {}).get('infer_samples_per_s') for th in torch_threads}
    ov = {1: o1 and o1['reviews_per_s'], 2: o2 and o2['reviews_per_s']}
    diff = max((r['max_abs_diff_vs_fast'] for r in (o1, o2) if r), default=None)
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
        m, cell(f), cell(o1), cell(o2), ' | '.join(fmt(tv[th]) for th in torch_threads),
        ratio(o1 and o1['reviews_per_s'], f and f['reviews_per_s']),
        ' | '.join(ratio(ov.get(int(th)), tv[th]) for th in torch_threads),
        '%.1e' % diff if diff is not None else 'n/a'))
loads = [r['loadavg1'] for r in java.values()] + [r.get('infer_loadavg1') for r in torch.values()]
print()
print('1-minute load average during the measurements: %s' % ', '.join('%.1f' % l for l in loads if l is not None))
PY
