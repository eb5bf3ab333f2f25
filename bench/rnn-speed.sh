#!/bin/sh
# Recurrent speed micro-benchmark (issues 3 and 9): DL4J stock layers, the fast layers and PyTorch, side by side in
# one run on this machine. Training = forward + backward + RMSprop step at batch 64 x 100 steps on random token ids;
# inference = forward at batch 1024. Results: a table on stdout and JSON under $OUT (default target/bench).
#
#   bench/rnn-speed.sh [--seconds 4] [--models lstm,gru] [--torch-threads "2 1"] [extra RnnSpeedBench options]
#
# PyTorch runs with 2 threads (the reference setting) and 1 thread. Besides wall-clock samples/s both sides report
# samples per CPU-second of their process, which stays meaningful when other jobs load the machine.
#
# Runs from the repository root; needs the Maven dependencies cached (offline) and /usr/bin/python3 with torch.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER=4
MODELS=simplernn_onehot,simplernn_embed,lstm,lstm_dropout,lstm2,gru
TORCH_THREADS="2 1"
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
rm -f "$OUT"/dl4j-*.json "$OUT"/torch*.json "$OUT"/torch*.log
./mvnw -o -q -pl core test-compile
./mvnw -o -q -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="core/target/test-classes:core/target/classes:$(cat "$OUT/classpath.txt")"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), java $(java -version 2>&1 | head -1)"
# ND4J's native ops in these networks are tiny (updater, output layer); with OpenMP workers they spin-wait under load
# (the RMSprop step alone was 21 % of a fast SimpleRNN run). One OpenMP thread for the DL4J JVM; override by setting it.
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export OMP_NUM_THREADS
echo "# OMP_NUM_THREADS=$OMP_NUM_THREADS (DL4J side)"
# Alternate the two sides per model so that machine noise hits both.
for m in $(echo "$MODELS" | tr ',' ' '); do
  java -Xmx2g -cp "$CP" io.reviewrnn.bench.RnnSpeedBench --seconds "$SECONDS_PER" --models "$m" \
      --out "$OUT/dl4j-$m.json" $EXTRA 2>/dev/null | grep -v '^model'
  for th in $TORCH_THREADS; do
    env -u OMP_NUM_THREADS /usr/bin/python3 bench/torch_rnn_speed.py --seconds "$SECONDS_PER" --models "$m" --threads "$th" \
        > "$OUT/torch$th-$m.json" 2>"$OUT/torch$th-$m.log"
    tail -1 "$OUT/torch$th-$m.log"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
rows = {}
for f in sorted(glob.glob(os.path.join(out, 'dl4j-*.json')) + glob.glob(os.path.join(out, 'torch*-*.json'))):
    for r in json.load(open(f)):
        rows[(r['model'], r['impl'])] = r
order = ['simplernn_onehot', 'simplernn_embed', 'lstm', 'lstm_dropout', 'lstm2', 'gru']
models = [m for m in order if any(k[0] == m for k in rows)]
def g(m, impl, key):
    r = rows.get((m, impl))
    return r.get(key) if r else None
fmt = lambda v: '%.0f' % v if v is not None else 'n/a'
def ratio(a, b):
    return '%.2f' % (a / b) if a and b else 'n/a'
print()
print('Training samples/s, wall clock (per CPU-second of the process in brackets), batch 64 x 100 steps.')
print('fast-1 / fast-2: fast layers on 1 / 2 threads; PyTorch-1 / PyTorch-2: torch.set_num_threads(1 / 2).')
print()
print('| model | DL4J stock | fast-1 | fast-2 | PyTorch-1 | PyTorch-2 | fast-1 / PyTorch-1 | fast-2 / PyTorch-2 |')
print('|---|---|---|---|---|---|---|---|')
for m in models:
    def cell(impl):
        w, c = g(m, impl, 'train_samples_per_s'), g(m, impl, 'train_samples_per_cpu_s')
        return '%s (%s)' % (fmt(w), fmt(c)) if w else 'n/a'
    f1, f2, t1, t2 = (g(m, i, 'train_samples_per_s') for i in ('fast', 'fast2', 'torch1', 'torch2'))
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (m, cell('stock'), cell('fast'), cell('fast2'), cell('torch1'),
          cell('torch2'), ratio(f1, t1), ratio(f2, t2)))
print()
print('Inference samples/s, wall clock, batch 1024 (DL4J stock one-hot: 256).')
print()
print('| model | DL4J stock | fast-1 | fast-2 | PyTorch-1 | PyTorch-2 | fast-1 / PyTorch-1 | fast-2 / PyTorch-2 |')
print('|---|---|---|---|---|---|---|---|')
for m in models:
    f1, f2, t1, t2 = (g(m, i, 'infer_samples_per_s') for i in ('fast', 'fast2', 'torch1', 'torch2'))
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (m, fmt(g(m, 'stock', 'infer_samples_per_s')), fmt(f1),
          fmt(f2), fmt(t1), fmt(t2), ratio(f1, t1), ratio(f2, t2)))
PY
