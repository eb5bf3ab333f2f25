#!/bin/sh
# Recurrent speed micro-benchmark (issues 3 and 9): DL4J stock layers, the fast layers and PyTorch, side by side in
# one run on this machine. Training = forward + backward + RMSprop step at batch 64 x 100 steps on random token ids;
# inference = forward at batch 1024. Results: a table on stdout and JSON under $OUT (default target/bench).
#
#   bench/rnn-speed.sh [--seconds 4] [--models lstm,gru] [--torch-threads 2] [extra RnnSpeedBench options]
#
# Runs from the repository root; needs the Maven dependencies cached (offline) and /usr/bin/python3 with torch.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER=4
MODELS=simplernn_onehot,simplernn_embed,lstm,lstm_dropout,lstm2,gru
TORCH_THREADS=2
EXTRA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --torch-threads) TORCH_THREADS=$2; shift 2 ;;
    *) EXTRA="$EXTRA $1"; shift ;;
  esac
done
OUT=${OUT:-target/bench}
mkdir -p "$OUT"
./mvnw -o -q -pl core test-compile
./mvnw -o -q -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="core/target/test-classes:core/target/classes:$(cat "$OUT/classpath.txt")"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), java $(java -version 2>&1 | head -1)"
echo "# OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"
# Alternate the two sides per model so that machine noise hits both.
for m in $(echo "$MODELS" | tr ',' ' '); do
  java -Xmx2g -cp "$CP" io.reviewrnn.bench.RnnSpeedBench --seconds "$SECONDS_PER" --models "$m" \
      --out "$OUT/dl4j-$m.json" $EXTRA 2>/dev/null | grep -v '^model'
  /usr/bin/python3 bench/torch_rnn_speed.py --seconds "$SECONDS_PER" --models "$m" --threads "$TORCH_THREADS" \
      > "$OUT/torch-$m.json" 2>"$OUT/torch-$m.log"
  tail -1 "$OUT/torch-$m.log"
done
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
rows = {}
for f in sorted(glob.glob(os.path.join(out, 'dl4j-*.json')) + glob.glob(os.path.join(out, 'torch-*.json'))):
    for r in json.load(open(f)):
        rows[(r['model'], r['impl'])] = r
models = []
for (m, _) in rows:
    if m not in models:
        models.append(m)
def g(m, impl, key):
    r = rows.get((m, impl))
    return r[key] if r else None
fmt = lambda v: '%.0f' % v if v is not None else 'n/a'
print()
print('| model | DL4J stock train/s | fast train/s | PyTorch train/s | fast/PyTorch | stock infer/s | fast infer/s | PyTorch infer/s |')
print('|---|---|---|---|---|---|---|---|')
for m in models:
    f, t = g(m, 'fast', 'train_samples_per_s'), g(m, 'torch', 'train_samples_per_s')
    ratio = '%.2f' % (f / t) if f and t else 'n/a'
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (m, fmt(g(m, 'stock', 'train_samples_per_s')), fmt(f), fmt(t),
          ratio, fmt(g(m, 'stock', 'infer_samples_per_s')), fmt(g(m, 'fast', 'infer_samples_per_s')),
          fmt(g(m, 'torch', 'infer_samples_per_s'))))
PY
