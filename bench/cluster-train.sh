#!/usr/bin/env bash
# The cost of real process boundaries (issue 7): the same training run of real IMDB on the loopback cluster rig
# (Spark standalone, 2 Workers x 1 core, executors in their own JVMs, corpus, minibatches and checkpoints on HDFS
# served by a NameNode and a DataNode process) and on the embedded local[2] (one JVM, local files), side by side.
#
#   bench/cluster-train.sh [--epochs 3] [--model conf/models/lstm.yaml] [work-dir]
#
# Needs the Maven dependencies (the rig lays out SPARK_HOME and the Hadoop jars from them). Brings the rig up and
# down itself (RIG_DIR=target/rig). Results: <work-dir>/cluster-train.md; copy them into docs/BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
EPOCHS=3
MODEL=conf/models/lstm.yaml
WORK=/tmp/review-rnn-cluster-train
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) EPOCHS=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) WORK=$1; shift ;;
  esac
done
cd "$ROOT"
mkdir -p "$WORK"
./review-rnn --help >/dev/null   # builds the job jar on first use
export REVIEW_RNN_SKIP_BUILD=1
CLUSTER=deploy/local-cluster/cluster
if [[ ! -f "$WORK/prepared/_SUCCESS" ]]; then
  ./review-rnn prepare --master 'local[2]' --input "$SHARED/data/aclImdb-labeled.tar.gz" --output "$WORK/prepared" \
      --overwrite >"$WORK/prepare.log" 2>&1
fi
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
"$CLUSTER" up >"$WORK/rig-up.log" 2>&1 || { tail -30 "$WORK/rig-up.log"; exit 1; }
"$CLUSTER" hdfs -rm -r -f /bench >/dev/null 2>&1 || true
"$CLUSTER" hdfs -mkdir -p /bench
"$CLUSTER" hdfs -put "$WORK/prepared" /bench/prepared
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $MODEL, $EPOCHS epochs" \
  | tee "$WORK/header.txt"

echo "== rig: spark://127.0.0.1, 2 executors, HDFS"
"$CLUSTER" submit -- train --corpus /bench/prepared --model "file://$ROOT/$MODEL" --run-dir /bench/runs/rig \
    --max-epochs "$EPOCHS" --overwrite >"$WORK/rig-train.log" 2>&1 || { tail -30 "$WORK/rig-train.log"; exit 1; }
grep -o 'epoch [0-9]*/[0-9]*:.*epoch [0-9.]* s' "$WORK/rig-train.log" | sed 's/^/   /'
"$CLUSTER" hdfs -cat /bench/runs/rig/history.json >"$WORK/rig-history.json"
"$CLUSTER" hdfs -cat /bench/runs/rig/result.json >"$WORK/rig-result.json"

echo "== local[2]: one JVM, local files"
./review-rnn train --master 'local[2]' --corpus "$WORK/prepared" --model "$MODEL" --run-dir "$WORK/runs/local" \
    --max-epochs "$EPOCHS" --overwrite >"$WORK/local-train.log" 2>&1 || { tail -30 "$WORK/local-train.log"; exit 1; }
grep -o 'epoch [0-9]*/[0-9]*:.*epoch [0-9.]* s' "$WORK/local-train.log" | sed 's/^/   /'
cp "$WORK/runs/local/history.json" "$WORK/local-history.json"
cp "$WORK/runs/local/result.json" "$WORK/local-result.json"

/usr/bin/python3 - "$WORK" <<'PY' | tee "$WORK/cluster-train.md"
import json, os, re, statistics, sys
w = sys.argv[1]
print(open(os.path.join(w, 'header.txt')).read().strip() + '\n')
# The epoch log line's "epoch s" is the wall time of the whole epoch loop iteration. The writes of history, plots and
# checkpoints run in the background (EpochWriter), so what they still cost the training is that wall time minus
# training and validation: snapshotting the network, plus any wait for the previous epoch's writes.
line = re.compile(r'epoch (\d+)/\d+:.* in ([0-9.]+) s \(.*validation ([0-9.]+) s, epoch ([0-9.]+) s')
def overhead(name):
    xs = [float(m.group(4)) - float(m.group(2)) - float(m.group(3))
          for m in map(line.search, open(os.path.join(w, f'{name}-train.log'))) if m and int(m.group(1)) > 1]
    return statistics.median(xs) if xs else float('nan')
def reach(h, target):
    t = 0.0
    for e in h:
        t += e['train_seconds']
        if e['val_accuracy'] >= target:
            return e['epoch'], t
    return None, None
print('| setup | epoch 1 train s | later epochs train s (median) | train samples/s (later) | validation s | '
      'end-of-epoch writes on the critical path s (median) | epochs / train s to val_acc 0.78 | '
      'whole run s (incl. export, start-up) |')
print('|---|---|---|---|---|---|---|---|')
rows = {}
for name, label in (('rig', 'rig: standalone, 2 executor JVMs, HDFS'), ('local', 'local[2], local files')):
    h = json.load(open(os.path.join(w, f'{name}-history.json')))['epochs']
    r = json.load(open(os.path.join(w, f'{name}-result.json')))
    later = h[1:] or h
    t = statistics.median(e['train_seconds'] for e in later)
    rows[name] = t
    ep, secs = reach(h, 0.78)
    print(f"| {label} | {h[0]['train_seconds']:.1f} | {t:.1f} | {statistics.median(e['samples_per_second'] for e in later):.0f} "
          f"| {statistics.median(e['eval_seconds'] for e in later):.2f} | {overhead(name):.2f} "
          f"| {f'{ep} / {secs:.1f}' if ep else f'not in {len(h)} epochs'} | {r['wall_seconds']:.0f} |")
print(f"\nrig / local[2] training time per epoch (later epochs): **{rows['rig'] / rows['local']:.2f}x**")
PY
