#!/usr/bin/env bash
# Scoring benchmark (issue 16): review-rnn score end to end next to the PyTorch end-to-end baseline
# (../shared/baselines/torch_score.py: read, Keras tokenizing, encode, pad, LSTM inference with 2 threads, write
# CSV), in the same run, page cache warmed for both; evaluate on the prepared test split; and 1,000,000 reviews
# under -Xmx1g with the peak RSS.
#   bench/score.sh <checkpoint-dir> [work-dir] [rounds]
# The checkpoint must come from a corpus prepared from the IMDB archive, e.g.
#   ./review-rnn prepare --input ../shared/data/aclImdb-labeled.tar.gz --output runs/imdb
#   ./review-rnn train --corpus runs/imdb --model conf/models/lstm.yaml --run-dir runs/lstm --max-epochs 1
# Inputs (built once in work-dir): the 50,000 IMDB reviews as aclImdb files, as JSON Lines x5 (250,000, no
# labels, distinct ids) and x20 (1,000,000). Results go to <work-dir>/score-bench.txt; copy them into
# docs/BENCHMARKS.md. Each round runs review-rnn and PyTorch back to back on the same input, so the ratio of a
# round is measured side by side even on a busy machine; the load average is logged with every line.
# PROFILE=1 records each review-rnn run (JFR and Spark's event log) and writes where the time went to
# <work-dir>/profile-<run>.txt (bench/spark_stages.py: per stage wall, task run and CPU time; bench/jfr_top.py: hottest
# methods and the driver's phases).
# BEFORE=<dir> adds another checkout's launcher (e.g. a worktree of main with its jar built) to every round, to
# compare before and after in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:?usage: bench/score.sh <checkpoint-dir> [work-dir] [rounds]}"
WORK="${2:-/tmp/review-rnn-score-bench}"
ROUNDS="${3:-2}"
SHARED="${SHARED:-$ROOT/../shared}"
ARCHIVE="$SHARED/data/aclImdb-labeled.tar.gz"
mkdir -p "$WORK"
OUT="$WORK/score-bench.txt"
: > "$OUT"
say() { echo "$*" | tee -a "$OUT"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

if [[ ! -d "$WORK/imdb/aclImdb" ]]; then
  mkdir -p "$WORK/imdb" && tar xzf "$ARCHIVE" -C "$WORK/imdb"
fi
if [[ ! -f "$WORK/x20.jsonl" ]]; then
  /usr/bin/python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
rows = []
for split in ('train', 'test'):
    for d in ('pos', 'neg'):
        root = os.path.join(work, 'imdb', 'aclImdb', split, d)
        for f in sorted(os.listdir(root)):
            with open(os.path.join(root, f), encoding='utf-8') as fh:
                rows.append((f'{split}/{d}/{f}', fh.read()))
for name, k in (('x5.jsonl', 5), ('x20.jsonl', 20)):
    with open(os.path.join(work, name), 'w', encoding='utf-8') as o:
        for i in range(k):
            for rid, text in rows:
                o.write(json.dumps({'id': f'{i}/{rid}', 'text': text}) + '\n')
print(len(rows), 'reviews')
PY
fi
CORPUS="$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]+'/metadata.json'))['corpus'])" "$MODEL")"
VOCAB="$MODEL/vocabulary.tsv"
say "model $MODEL (corpus $CORPUS), $(date -u +%FT%TZ), load $(load), $(nproc) cores"

warm() { find "$@" -type f -exec cat {} + > /dev/null; }
RUN=0
profiled() { # name command... : runs the command, with JFR and the event log when PROFILE=1
  local name="$1"; shift
  if [[ "${PROFILE:-0}" != 1 ]]; then "$@"; return; fi
  RUN=$((RUN + 1))
  local events="$WORK/events/$RUN-$name" jfr="$WORK/profile-$RUN-$name.jfr"
  rm -rf "$events" && mkdir -p "$events"
  REVIEW_RNN_JAVA_OPTS="${REVIEW_RNN_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$jfr,settings=profile" \
    "$@" --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$events"
  { /usr/bin/python3 "$ROOT/bench/spark_stages.py" "$events"/*; /usr/bin/python3 "$ROOT/bench/jfr_top.py" "$jfr"; } \
    > "$WORK/profile-$RUN-$name.txt" 2>&1 || true
}
rnn() { # [launcher-root] input output -> reviews/s of the whole job (summary.json) and wall seconds of the process
  local t0 t1 launcher="$ROOT"
  if [[ $# == 3 ]]; then launcher="$1"; shift; fi
  t0=$(date +%s.%N)
  REVIEW_RNN_SKIP_BUILD=1 profiled "score-$(basename "$1")" "$launcher/review-rnn" score --master 'local[2]' \
    --model "$MODEL" --input "$1" --output "$2" --overwrite > /dev/null
  t1=$(date +%s.%N)
  /usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1]+'/summary.json')); \
print(f\"{s['records_in']} {s['records_per_second']:.0f} {s['seconds']:.1f} {float(sys.argv[3])-float(sys.argv[2]):.1f}\")" "$2" "$t0" "$t1"
}
torch() { # input -> reviews/s end to end
  /usr/bin/python3 "$SHARED/baselines/torch_score.py" --input "$1" --vocabulary "$VOCAB" --output "$WORK/torch.csv" \
    --threads 2 | /usr/bin/python3 -c "import json,sys; r=json.loads(sys.stdin.read().strip().splitlines()[-1]); print(r)"
}

# The launcher's class-data archive of a command is built after its first run (the next launch archives the first
# run's class list in the background, once per installation and build); done here, untimed: two runs of each
# command, then a wait for the archives. REVIEW_RNN_CDS=0 measures without them.
for cmd in score evaluate score evaluate; do
  if [[ $cmd == score ]]; then input="$WORK/imdb/aclImdb"; else input="$CORPUS/test"; fi
  REVIEW_RNN_SKIP_BUILD=1 "$ROOT/review-rnn" "$cmd" --master 'local[2]' --model "$MODEL" --input "$input" \
    --output "$WORK/warm-up-$cmd" --overwrite > /dev/null 2>&1 || true
  if [[ -n "${BEFORE:-}" ]]; then
    REVIEW_RNN_SKIP_BUILD=1 "$BEFORE/review-rnn" "$cmd" --master 'local[2]' --model "$MODEL" --input "$input" \
      --output "$WORK/warm-up-$cmd" --overwrite > /dev/null 2>&1 || true
  fi
done
for _ in $(seq 60); do compgen -G "${XDG_CACHE_HOME:-$HOME/.cache}/review-rnn/.*dumping*" > /dev/null || break; sleep 1; done

for round in $(seq 1 "$ROUNDS"); do
  for input in "$WORK/x5.jsonl" "$WORK/imdb/aclImdb"; do
    warm "$input"
    r=$(rnn "$input" "$WORK/scored")
    say "round $round $(basename "$input") review-rnn: records, reviews/s (job), job s, process s = $r  (load $(load))"
    if [[ -n "${BEFORE:-}" ]]; then
      b=$(rnn "$BEFORE" "$input" "$WORK/scored-before")
      say "round $round $(basename "$input") review-rnn BEFORE: records, reviews/s (job), job s, process s = $b  (load $(load))"
    fi
    t=$(torch "$input")
    say "round $round $(basename "$input") torch_score.py: $t  (load $(load))"
  done
done

# evaluate on the prepared test split (inference only, every metric incl. exact AUC)
evaluate() { # launcher-root label
  local t0 t1
  t0=$(date +%s.%N)
  REVIEW_RNN_SKIP_BUILD=1 profiled "evaluate-$2" "$1/review-rnn" evaluate --master 'local[2]' --model "$MODEL" \
    --input "$CORPUS/test" --output "$WORK/eval" --overwrite > /dev/null
  t1=$(date +%s.%N)
  /usr/bin/python3 -c "import json,sys; e=json.load(open(sys.argv[1]+'/eval/metrics.json')); \
print(f\"evaluate {sys.argv[2]} prepared test split: {e['metrics']['examples']} in {e['seconds']:.2f} s (job), \
{e['metrics']['examples']/e['seconds']:.0f} reviews/s, process {float(sys.argv[4])-float(sys.argv[3]):.1f} s, \
AUC {e['metrics']['roc_auc']:.6f}\")" "$WORK" "$2" "$t0" "$t1" | tee -a "$OUT"
}
# A one-second job on a shared machine: EVAL_RUNS (default 7) runs per build, alternating, and their median.
for _ in $(seq 1 "${EVAL_RUNS:-7}"); do
  evaluate "$ROOT" "after"
  if [[ -n "${BEFORE:-}" ]]; then evaluate "$BEFORE" "BEFORE"; fi
done
/usr/bin/python3 - "$OUT" <<'PY' | tee -a "$OUT"
import re, statistics, sys
for label in ('after', 'BEFORE'):
    runs = re.findall(rf'^evaluate {label} prepared test split: (\d+) in ([0-9.]+) s', open(sys.argv[1]).read(), re.M)
    if runs:
        s = [float(t) for _, t in runs]
        m = statistics.median(s)
        print(f'evaluate {label}: median {m:.2f} s job over {len(s)} runs ({min(s):.2f}-{max(s):.2f}), '
              f'{int(runs[0][0]) / m:.0f} reviews/s')
PY

# 1,000,000 reviews with a 1g heap for the whole local JVM (driver and executors in one), peak RSS measured
warm "$WORK/x20.jsonl"
REVIEW_RNN_JAVA_OPTS="-Xmx1g" /usr/bin/time -v "$ROOT/review-rnn" score --master 'local[2]' --model "$MODEL" \
  --input "$WORK/x20.jsonl" --output "$WORK/scored-1m" --overwrite > "$WORK/1m.txt" 2> "$WORK/time-1m.txt"
/usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1]+'/scored-1m/summary.json')); \
print(f\"1M under -Xmx1g: {s['records_in']} in = {s['scored']} scored + {s['rejected']} rejected, \
{s['seconds']:.1f} s, {s['records_per_second']:.0f} reviews/s\")" "$WORK" | tee -a "$OUT"
grep -E "Maximum resident|Elapsed" "$WORK/time-1m.txt" | tee -a "$OUT"
say "done $(date -u +%FT%TZ), load $(load)"
