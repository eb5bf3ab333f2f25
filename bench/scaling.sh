#!/usr/bin/env bash
# Time to a target accuracy with N parameter-averaging workers (issue 15), on real IMDB.
#
#   bench/scaling.sh [--part epochs|wall|all] [--models lstm,gru] [--workers 1,2,4,8] [--seeds 42,7]
#                    [--pairs 3] [--prepared DIR] [work-dir]
#
# Every run is `review-rnn train` (TrainJob on local[2] with the exercise's own hyper-parameters from conf/models:
# RMSprop 1e-4, batch 64 per worker, averaging every 5 minibatches), driven by bench/Scaling.java, which prints one
# JSON line per epoch (cumulative training seconds, val_loss, val_acc) and stops once val_acc reaches 0.79.
#   --part epochs  algorithmic scaling: epochs to val_acc 0.78 / 0.79 for every model, seed and N (the default rule,
#                  bmuf, for N > 1), plus the candidates for lstm at N = 2: mean (DL4J's plain average) and
#                  scaled_delta (mean delta x N). Epoch counts do not depend on the cores, so N > 2 is fine here.
#   --part wall    time to accuracy on local[2]: --pairs times, lstm 1 worker then 2 workers (bmuf) back to back,
#                  each pair followed by the machine's bound for the same epochs (bench/ParallelBound.java: the same
#                  training as N threads in one JVM, no Spark); then PyTorch torch_imdb.py (2 threads) on the same
#                  corpus. The machine is noisy: the ratios are reported per pair and as the median. Run it alone.
# Results in <work-dir>: scaling.md (epochs and training seconds to 0.78 / 0.79, ratios to one worker),
# epochs-vs-workers.png, val-loss-<model>-s<seed>.png (one line per N), time-to-accuracy.png.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
WORK=/tmp/review-rnn-scaling
PREPARED=
PART=all
MODELS=lstm,gru
WORKERS=1,2,4,8
SEEDS=42,7
PAIRS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --part) PART=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --prepared) PREPARED=$2; shift 2 ;;
    --pairs) PAIRS=$2; shift 2 ;;
    -h|--help) sed -n 2,19p "$0"; exit 0 ;;
    *) WORK=$1; shift ;;
  esac
done
TARBALL="$SHARED/data/aclImdb-labeled.tar.gz"
mkdir -p "$WORK/runs" "$WORK/curves"
cd "$ROOT"
./review-rnn --help >/dev/null   # builds the job jar on first use
export REVIEW_RNN_SKIP_BUILD=1
if [[ -z "$PREPARED" ]]; then
  PREPARED="$WORK/prepared"
  [[ -f "$PREPARED/manifest.json" ]] || ./review-rnn prepare --master 'local[2]' --input "$TARBALL" \
      --output "$PREPARED" --overwrite >"$WORK/prepare.log" 2>&1
fi
STOP=0.79
# The launcher's class-data archive of a program is built after its first run (once per build; untimed).
for _ in 1 2; do
  REVIEW_RNN_MAIN=bench/Scaling.java ./review-rnn 'local[2]' 1.0 corpus="$PREPARED" model="$ROOT/conf/models/lstm.yaml" \
      run_dir="$WORK/runs/warm-up" workers=1 max_epochs=1 > /dev/null 2>&1 || true
done
for _ in $(seq 60); do compgen -G "${XDG_CACHE_HOME:-$HOME/.cache}/review-rnn/.*dumping*" > /dev/null || break; sleep 1; done

run() { # name spec workers averaging seed max_epochs
  local name=$1 spec=$2 workers=$3 averaging=$4 seed=$5 max=$6
  if [[ -s "$WORK/curves/$name.jsonl" ]] && grep -q '"done"' "$WORK/runs/$name.status" 2>/dev/null; then
    echo "== $name: done before, kept" >&2; return
  fi
  echo "== $name ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
  REVIEW_RNN_MAIN=bench/Scaling.java ./review-rnn 'local[2]' "$STOP" corpus="$PREPARED" \
      model="$ROOT/conf/models/$spec.yaml" run_dir="$WORK/runs/$name" workers="$workers" averaging="$averaging" \
      seed="$seed" max_epochs="$max" 2>"$WORK/runs/$name.log" | grep '^{' > "$WORK/curves/$name.jsonl"
  echo '"done"' > "$WORK/runs/$name.status"
  tail -1 "$WORK/curves/$name.jsonl" >&2
}

if [[ $PART == epochs || $PART == all ]]; then
  for m in ${MODELS//,/ }; do
    for s in ${SEEDS//,/ }; do
      for n in ${WORKERS//,/ }; do
        if [[ $n == 1 ]]; then run "$m-w1-s$s" "$m" 1 mean "$s" 40; else run "$m-w$n-bmuf-s$s" "$m" "$n" bmuf "$s" 40; fi
      done
      if [[ $m == lstm ]]; then
        run "$m-w2-mean-s$s" "$m" 2 mean "$s" 60
        [[ $s == 42 ]] && run "$m-w2-scaled_delta-s$s" "$m" 2 scaled_delta "$s" 40
      fi
    done
  done
fi

if [[ $PART == wall || $PART == all ]]; then
  rm -f "$WORK/runs/wall-"*.status "$WORK/curves/wall-"*.jsonl "$WORK/bound/"*.jsonl  # always fresh: timed side by side
  mkdir -p "$WORK/bound"
  for p in $(seq "$PAIRS"); do
    run "wall-lstm-w1-p$p" lstm 1 mean 42 40
    run "wall-lstm-w2-bmuf-p$p" lstm 2 bmuf 42 40
    for n in 1 2; do  # the bound trains as many epochs as the product's run with n workers did (to 0.79)
      curve=$([[ $n == 1 ]] && echo "wall-lstm-w1-p$p" || echo "wall-lstm-w2-bmuf-p$p")
      echo "== bound-w$n-p$p ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
      REVIEW_RNN_MAIN=bench/ParallelBound.java ./review-rnn "$PREPARED" "$ROOT/conf/models/lstm.yaml" "$n" \
          "$(wc -l < "$WORK/curves/$curve.jsonl")" 2>"$WORK/runs/bound-w$n-p$p.log" | grep '^{' \
          > "$WORK/bound/bound-w$n-p$p.jsonl"
    done
  done
  [[ -d "$WORK/imdb/aclImdb" ]] || { mkdir -p "$WORK/imdb" && tar xzf "$TARBALL" -C "$WORK/imdb"; }
  echo "== wall-torch-lstm ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
  env -u OMP_NUM_THREADS /usr/bin/python3 "$SHARED/baselines/torch_imdb.py" --models lstm --max-epochs 40 \
      --patience 100 --threads 2 --data "$WORK/imdb/aclImdb" --out "$WORK/torch-lstm.json" > "$WORK/runs/torch-lstm.log" 2>&1
  /usr/bin/python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
h = json.load(open(f'{work}/torch-lstm.json'))['results'][0]['history']
t = 0.0
with open(f'{work}/curves/wall-torch-lstm.jsonl', 'w') as f:
    for i, e in enumerate(h, 1):
        t += e['train_s']
        f.write(json.dumps({'epoch': i, 'train_s': t, 'val_loss': e['val_loss'], 'val_acc': e['val_acc']}) + '\n')
PY
fi

/usr/bin/python3 - "$WORK" <<'PY' | tee "$WORK/scaling.md"
import glob, json, os, re, sys
work = sys.argv[1]
curves = {os.path.basename(p)[:-6]: [json.loads(l) for l in open(p)] for p in sorted(glob.glob(f'{work}/curves/*.jsonl'))}
def reach(c, target):
    for e in c:
        if e['val_acc'] >= target:
            return e['epoch'], e['train_s']
    return None, None
def baseline(name):
    if name.startswith('wall-'):
        m = re.match(r'wall-lstm-w\d+(?:-[a-z_]+)?-(p\d+)$', name)
        return curves.get(f'wall-lstm-w1-{m.group(1)}' if m else 'wall-lstm-w1-p1')
    m = re.match(r'(.+)-w\d+(?:-[a-z_]+)?-s(\d+)$', name)
    return curves.get(f'{m.group(1)}-w1-s{m.group(2)}') if m else None
print('| run | epochs to 0.78 | train s to 0.78 | epochs to 0.79 | train s to 0.79 | best val_acc (epochs run) '
      '| epochs vs 1 worker (0.78 / 0.79) | time vs 1 worker (0.78 / 0.79) |')
print('|---|---|---|---|---|---|---|---|')
for name, c in curves.items():
    if not c:
        continue
    row = [name]
    for t in (0.78, 0.79):
        e, s = reach(c, t)
        row += [str(e) if e else f'> {len(c)}', f'{s:.1f}' if s else '-']
    row.append(f"{max(e['val_acc'] for e in c):.4f} ({len(c)})")
    base = baseline(name)
    for i in (0, 1):  # epochs, seconds
        r = []
        for t in (0.78, 0.79):
            x, b = reach(c, t)[i], reach(base, t)[i] if base else None
            r.append(f'{x / b:.2f}' if x and b and base is not c else '-')
        row.append(' / '.join(r))
    print('| ' + ' | '.join(row) + ' |')

# Wall-time pairs: training seconds to 0.78 / 0.79, two workers against one, and the machine's bound for the same
# epochs (cumulative seconds of bench/ParallelBound.java at the product's epochs to the target).
pairs = sorted({int(m.group(1)) for n in curves for m in [re.match(r'wall-lstm-w1-p(\d+)$', n)] if m})
if pairs:
    def bound(n, p, epoch):
        path = f'{work}/bound/bound-w{n}-p{p}.jsonl'
        b = [json.loads(l) for l in open(path)] if os.path.exists(path) else []
        return b[epoch - 1]['train_s'] if epoch and len(b) >= epoch else None
    def ratio(a, b):
        return a / b if a and b else None
    def f(x, fmt='{:.2f}'):
        return fmt.format(x) if x is not None else '-'
    print()
    print('| pair | 1 worker s to 0.78 / 0.79 | 2 workers s to 0.78 / 0.79 | 2 vs 1 (0.78 / 0.79) '
          '| bound 1 / 2 threads s to 0.78 | bound 2 vs 1 (0.78 / 0.79) | 2 vs 1 over the bound\'s (0.78) |')
    print('|---|---|---|---|---|---|---|')
    rows = []
    for p in pairs:
        one, two = curves[f'wall-lstm-w1-p{p}'], curves.get(f'wall-lstm-w2-bmuf-p{p}', [])
        r = {}
        for t in (0.78, 0.79):
            (e1, s1), (e2, s2) = reach(one, t), reach(two, t)
            r[t] = (s1, s2, ratio(s2, s1), bound(1, p, e1), bound(2, p, e2))
            r[t] += (ratio(r[t][4], r[t][3]),)
        rows.append((r[0.78][2], r[0.79][2], r[0.78][5], r[0.79][5]))
        a, b = r[0.78], r[0.79]
        print(f'| {p} | {f(a[0], "{:.1f}")} / {f(b[0], "{:.1f}")} | {f(a[1], "{:.1f}")} / {f(b[1], "{:.1f}")} '
              f'| {f(a[2])} / {f(b[2])} | {f(a[3], "{:.1f}")} / {f(a[4], "{:.1f}")} | {f(a[5])} / {f(b[5])} '
              f'| {f(ratio(a[2], a[5]))} |')
    def median(xs):
        xs = sorted(x for x in xs if x is not None)
        return (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2 if xs else None
    med = [median(c) for c in zip(*rows)]
    print(f'| median of {len(rows)} | | | **{f(med[0])}** / {f(med[1])} | | {f(med[2])} / {f(med[3])} '
          f'| {f(ratio(med[0], med[2]))} |')
PY
plotted=()  # every curve but the wall pairs after the first
for c in "$WORK"/curves/*.jsonl; do
  [[ $c =~ -p([2-9]|[1-9][0-9]+)\.jsonl$ ]] || plotted+=("$c")
done
REVIEW_RNN_MAIN=bench/ScalingPlot.java ./review-rnn "$WORK" "${plotted[@]}"
echo "wrote $WORK/scaling.md and the plots in $WORK" >&2
