#!/usr/bin/env bash
# Scoring benchmark (issue 5): review-rnn score/evaluate throughput on the 25,000 IMDB test reviews on 2 cores,
# side by side with the PyTorch baseline's inference, and the 250k-review run (IMDB test x10) under a 1g heap.
#   bench/score.sh <checkpoint-dir> [work-dir]
# The checkpoint must come from a corpus prepared from the IMDB archive (train/prepare/train first, e.g.
#   ./review-rnn prepare --input ../shared/data/aclImdb-labeled.tar.gz --output runs/imdb
#   ./review-rnn train --corpus runs/imdb --model conf/models/lstm.yaml --run-dir runs/lstm --max-epochs 1).
# Results go to <work-dir>/score-bench.txt; copy the figures into docs/BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:?usage: bench/score.sh <checkpoint-dir> [work-dir]}"
WORK="${2:-/tmp/review-rnn-score-bench}"
SHARED="${SHARED:-$ROOT/../shared}"
ARCHIVE="$SHARED/data/aclImdb-labeled.tar.gz"
mkdir -p "$WORK"
OUT="$WORK/score-bench.txt"
: > "$OUT"
say() { echo "$*" | tee -a "$OUT"; }

# 1. Inputs: the test reviews as JSON Lines (one file, split by Spark), and the same x10 with distinct ids.
if [[ ! -d "$WORK/imdb/aclImdb" ]]; then
  mkdir -p "$WORK/imdb" && tar xzf "$ARCHIVE" -C "$WORK/imdb"
fi
if [[ ! -f "$WORK/test.jsonl" ]]; then
  /usr/bin/python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
root = os.path.join(work, 'imdb', 'aclImdb', 'test')
rows = []
for lab, d in ((1, 'pos'), (0, 'neg')):
    for f in sorted(os.listdir(os.path.join(root, d))):
        with open(os.path.join(root, d, f), encoding='utf-8') as fh:
            rows.append({'id': f'{d}/{f}', 'text': fh.read(), 'label': lab})
with open(os.path.join(work, 'test.jsonl'), 'w', encoding='utf-8') as o:
    for r in rows:
        o.write(json.dumps(r) + '\n')
with open(os.path.join(work, 'test-x10.jsonl'), 'w', encoding='utf-8') as o:
    for k in range(10):
        for r in rows:
            o.write(json.dumps({'id': f'{k}/{r["id"]}', 'text': r['text'], 'label': r['label']}) + '\n')
print(len(rows), 'test reviews')
PY
fi

CORPUS="$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]+'/metadata.json'))['corpus'])" "$MODEL")"
say "model $MODEL (corpus $CORPUS), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

# 2. review-rnn score: read + tokenize + encode + infer + write, 25,000 reviews, local[2].
"$ROOT/review-rnn" score --master 'local[2]' --model "$MODEL" --input "$WORK/test.jsonl" \
  --output "$WORK/scored-25k" --overwrite | tee -a "$OUT"
# 3. review-rnn evaluate on the prepared test split: inference only (already tokenized and padded).
"$ROOT/review-rnn" evaluate --master 'local[2]' --model "$MODEL" --input "$CORPUS/test" \
  --output "$WORK/eval-25k" --overwrite | tee -a "$OUT"
/usr/bin/python3 - "$WORK" <<'PY' | tee -a "$OUT"
import json, sys
w = sys.argv[1]
s = json.load(open(w + '/scored-25k/summary.json'))
e = json.load(open(w + '/eval-25k/metrics.json'))
print(f"review-rnn score end to end: {s['records_per_second']:.0f} reviews/s ({s['scored']} in {s['seconds']:.1f} s)")
print(f"review-rnn evaluate, prepared input (no tokenization): {e['metrics']['examples'] / e['seconds']:.0f} reviews/s "
      f"({e['seconds']:.1f} s incl. metrics and exact AUC)")
PY

# 4. PyTorch baseline: one training epoch, then its inference pass over the test set (no tokenization).
/usr/bin/python3 "$SHARED/baselines/torch_imdb.py" --data "$WORK/imdb/aclImdb" --models lstm --max-epochs 1 \
  --threads 2 --out "$WORK/torch.json" | tee -a "$OUT"

# 5. 250,000 reviews with a 1g heap for the whole local JVM (driver and executor in one), peak RSS measured.
REVIEW_RNN_JAVA_OPTS="-Xmx1g" /usr/bin/time -v "$ROOT/review-rnn" score --master 'local[2]' --model "$MODEL" \
  --input "$WORK/test-x10.jsonl" --output "$WORK/scored-250k" --overwrite 2> "$WORK/time-250k.txt" | tee -a "$OUT"
grep -E "Maximum resident|Elapsed" "$WORK/time-250k.txt" | tee -a "$OUT"
