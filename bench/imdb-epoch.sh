#!/usr/bin/env bash
# Training speed on real IMDB (issue 9): each of the six seed specs trained by `review-rnn train` on Spark local[2]
# with impl fast and impl reference (stock DL4J layers / reference GRU), side by side in one run with the PyTorch
# baseline ../shared/baselines/torch_imdb.py on the same 2 cores.
#
#   bench/imdb-epoch.sh [--epochs N] [--models lstm,gru] [--no-reference] [--workers N] [work-dir]
#
# review-rnn: epoch time = the training part of an epoch (the minibatch export happens before epoch 1 and is
# reported apart); training samples/s = 20,000 / that time; inference samples/s = the distributed validation pass
# (5,000 reviews) of the last epoch. PyTorch: the same figures from its history (train_s, and its own inference pass
# over the 25,000 test reviews). Epoch 1 includes JIT warm-up on the JVM side (it takes two to three epochs), so the
# table shows epoch 1 and the steady state: the median of the epochs after the first two (default 5 epochs).
# --workers sets review-rnn's parameter-averaging workers (default 2 = local[2]'s cores).
# The epoch's remaining time (after training and validation) is writing history, plots and checkpoints.
# Results: <work-dir>/imdb-epoch.md (Markdown table) and the raw JSON next to it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
EPOCHS=5
MODELS=simplernn-onehot,simplernn-embedding,lstm,lstm-dropout,lstm-2layer,gru
REFERENCE=1
WORKERS=2
WORK=/tmp/review-rnn-imdb-epoch
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) EPOCHS=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --no-reference) REFERENCE=0; shift ;;
    --workers) WORKERS=$2; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) WORK=$1; shift ;;
  esac
done
mkdir -p "$WORK/specs" "$WORK/runs"
cd "$ROOT"
ARCHIVE="$SHARED/data/aclImdb-labeled.tar.gz"
[[ -d "$WORK/imdb/aclImdb" ]] || { mkdir -p "$WORK/imdb" && tar xzf "$ARCHIVE" -C "$WORK/imdb"; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "needs torch: apt-get install -y python3-torch" >&2; exit 1; }
./review-rnn --help >/dev/null   # builds the job jar on first use
export REVIEW_RNN_SKIP_BUILD=1
rr() { local c=$1; shift; ./review-rnn "$c" --master "local[2]" "$@"; }
if [[ ! -f "$WORK/prepared/_SUCCESS" ]]; then
  rr prepare --input "$ARCHIVE" --output "$WORK/prepared" --overwrite >"$WORK/prepare.log" 2>&1
fi
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); review-rnn on local[2] with $WORKERS worker(s)" | tee "$WORK/header.txt"

# Torch names of the six specs.
torch_name() {
  case "$1" in
    simplernn-onehot) echo simplernn_onehot ;; simplernn-embedding) echo simplernn_embed ;;
    lstm) echo lstm ;; lstm-dropout) echo lstm_dropout ;; lstm-2layer) echo lstm2 ;; gru) echo gru ;;
  esac
}
# Alternate the sides per model so that machine noise hits all of them.
for m in ${MODELS//,/ }; do
  impls=(fast); [[ $REFERENCE == 1 ]] && impls+=(reference)
  for impl in "${impls[@]}"; do
    sed -E "s/^impl: .*/impl: $impl/" "conf/models/$m.yaml" > "$WORK/specs/$m-$impl.yaml"
    grep -q "^impl: $impl" "$WORK/specs/$m-$impl.yaml" || echo "impl: $impl" >> "$WORK/specs/$m-$impl.yaml"
    # The stock layers are ~10x slower: one epoch of them is enough for a throughput figure.
    e=$EPOCHS; [[ $impl == reference ]] && e=1
    echo "== $m ($impl, $e epochs)"
    rr train --corpus "$WORK/prepared" --model "$WORK/specs/$m-$impl.yaml" --run-dir "$WORK/runs/$m-$impl" \
        --max-epochs "$e" --workers "$WORKERS" --overwrite >"$WORK/runs/$m-$impl.log" 2>&1 \
        || { tail -20 "$WORK/runs/$m-$impl.log"; exit 1; }
    grep -o 'epoch [0-9]*/[0-9]*:.*epoch [0-9.]* s' "$WORK/runs/$m-$impl.log" | sed 's/^/   /'
  done
  t=$(torch_name "$m")
  echo "== $m (PyTorch, $EPOCHS epochs)"
  env -u OMP_NUM_THREADS /usr/bin/python3 "$SHARED/baselines/torch_imdb.py" --data "$WORK/imdb/aclImdb" --models "$t" \
      --max-epochs "$EPOCHS" --patience 1000 --out "$WORK/torch-$m.json" >"$WORK/torch-$m.log" 2>&1 \
      || { tail -20 "$WORK/torch-$m.log"; exit 1; }
  grep -o 'epoch .*samp/s)' "$WORK/torch-$m.log" | sed 's/^/   /'
done

/usr/bin/python3 - "$WORK" "$MODELS" <<'PY' | tee "$WORK/imdb-epoch.md"
import json, os, re, statistics, sys
work, models = sys.argv[1], sys.argv[2].split(',')
def epoch_walls(m, impl):
    log = open(os.path.join(work, 'runs', f'{m}-{impl}.log')).read()
    return [float(x) for x in re.findall(r'epoch (\d+\.\d) s \|', log)]
def hist(m, impl):
    p = os.path.join(work, 'runs', f'{m}-{impl}', 'history.json')
    return json.load(open(p))['epochs'] if os.path.exists(p) else None
def steady(xs):
    # JIT warm-up takes the JVM side two to three epochs; steady state = the median after the first two epochs
    return statistics.median(xs[2:]) if len(xs) > 3 else statistics.median(xs[1:]) if len(xs) > 1 else xs[0]
print(open(os.path.join(work, 'header.txt')).read().strip())
print()
print('| model | review-rnn fast train/s (epoch 1 / steady) | reference train/s | PyTorch train/s (epoch 1 / steady) '
      '| fast/PyTorch (steady) | fast inference/s | PyTorch inference/s | inference ratio '
      '| local[2] epoch s: reference -> fast | fast: validation s / history + checkpoints s |')
print('|---|---|---|---|---|---|---|---|---|---|')
for m in models:
    f, r = hist(m, 'fast'), hist(m, 'reference')
    t = json.load(open(os.path.join(work, f'torch-{m}.json')))
    t = t['results'][0] if 'results' in t else (t[0] if isinstance(t, list) else t)
    th = t['history']
    fs = [e['samples_per_second'] for e in f]
    ts = [h['train_samples_per_s'] for h in th]
    f_inf = 5000 / f[-1]['eval_seconds']
    t_inf = t['infer_samples_per_s']
    rs = f"{r[0]['samples_per_second']:.0f}" if r else 'n/a'
    ref_s = f"{r[0]['train_seconds']:.1f}" if r else 'n/a'
    print(f"| {m} | {fs[0]:.0f} / {steady(fs):.0f} | {rs} | {ts[0]:.0f} / {steady(ts):.0f} "
          f"| **{steady(fs) / steady(ts):.2f}** | {f_inf:.0f} | {t_inf:.0f} | {f_inf / t_inf:.2f} "
          f"| {ref_s} -> {steady([e['train_seconds'] for e in f]):.1f} "
          f"| {steady([e['eval_seconds'] for e in f]):.2f} / "
          f"{steady([w - e['train_seconds'] - e['eval_seconds'] for w, e in zip(epoch_walls(m, 'fast'), f)]):.2f} |")
PY
