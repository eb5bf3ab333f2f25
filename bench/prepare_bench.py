#!/usr/bin/python3
"""prepare benchmark: review-rnn `prepare` on the 50k real IMDB reviews with local[1] and local[2], side by side in
one run with the single-process Python preprocessing of ../shared/baselines/torch_imdb.py.

Reports reviews/s with and without JVM + Spark start-up, the 1->2 core speedup, and the ratio to Python. Prints a
Markdown table (paste it into docs/BENCHMARKS.md) and writes the raw numbers as JSON.

Usage: bench/prepare.sh [--repeat N]   (extracts the archive to $BENCH_DIR, default /tmp/review-rnn-bench)
"""
import argparse
import json
import os
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get('SHARED', os.path.join(os.path.dirname(ROOT), 'shared'))
ARCHIVE = os.path.join(SHARED, 'data', 'aclImdb-labeled.tar.gz')


def run_review_rnn(master, corpus, out):
    t0 = time.perf_counter()
    subprocess.run([os.path.join(ROOT, 'review-rnn'), 'prepare', '--master', master, '--input', corpus,
                    '--output', out, '--overwrite'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, REVIEW_RNN_SKIP_BUILD='1'))
    wall = time.perf_counter() - t0
    with open(os.path.join(out, 'manifest.json')) as f:
        m = json.load(f)
    job = sum(m['stage_seconds'].values())
    n = sum(s['count'] for s in m['splits'].values())
    return {'master': master, 'input': os.path.basename(corpus), 'reviews': n, 'wall_s': wall, 'job_s': job,
            'stages': m['stage_seconds']}


def run_python(corpus_dir):
    out = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'bench', 'python_prepare.py'), corpus_dir],
                         check=True, capture_output=True, text=True,
                         env=dict(os.environ, BASELINES=os.path.join(SHARED, 'baselines'))).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeat', type=int, default=3, help='runs of each configuration; the median is reported')
    ap.add_argument('--work', default=os.environ.get('BENCH_DIR', '/tmp/review-rnn-bench'))
    ap.add_argument('--json', default=None)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    corpus_dir = os.path.join(args.work, 'aclImdb')
    if not os.path.isdir(corpus_dir):
        with tarfile.open(ARCHIVE) as t:
            t.extractall(args.work)
    subprocess.run([os.path.join(ROOT, 'review-rnn'), '--version'], check=True, stdout=subprocess.DEVNULL)

    def median(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2]

    results = {'python': [], 'review-rnn': []}
    for rep in range(args.repeat):
        # Interleave the configurations so machine noise hits all of them alike.
        results['python'].append(run_python(corpus_dir))
        for master in ('local[1]', 'local[2]'):
            for corpus in (corpus_dir, ARCHIVE):
                r = run_review_rnn(master, corpus, os.path.join(args.work, 'out'))
                results['review-rnn'].append(r)
                print(f"rep {rep}: {master} {r['input']}: job {r['job_s']:.1f}s, wall {r['wall_s']:.1f}s",
                      file=sys.stderr)

    py = results['python']
    py_pre = median([p['preprocess_s'] for p in py])
    py_all = median([p['read_s'] + p['preprocess_s'] for p in py])
    n = py[0]['reviews']
    rows = []
    summary = {}
    for master in ('local[1]', 'local[2]'):
        for name in ('aclImdb', os.path.basename(ARCHIVE)):
            rs = [r for r in results['review-rnn'] if r['master'] == master and r['input'] == name]
            job, wall = median([r['job_s'] for r in rs]), median([r['wall_s'] for r in rs])
            summary[(master, name)] = job
            rows.append(f"| review-rnn {master}, {'directory' if name == 'aclImdb' else '.tar.gz'} | {n / job:,.0f} | "
                        f"{n / wall:,.0f} | {job:.1f} | {wall:.1f} | {py_all / job:.2f} | {py_pre / job:.2f} |")
    print('| run | reviews/s without start-up | reviews/s with start-up | job s | wall s | '
          'vs Python read+preprocess | vs Python preprocess only |')
    print('|---|---|---|---|---|---|---|')
    print(f"| Python baseline (read + tokenize + vocab + pad) | {n / py_all:,.0f} | - | {py_all:.1f} | - | 1.00 | - |")
    print(f"| Python baseline (tokenize + vocab + pad, no file reading) | {n / py_pre:,.0f} | - | {py_pre:.1f} | - | - | 1.00 |")
    print('\n'.join(rows))
    for name in ('aclImdb', os.path.basename(ARCHIVE)):
        print(f"\n1 -> 2 core speedup ({name}, without start-up): "
              f"{summary[('local[1]', name)] / summary[('local[2]', name)]:.2f}x")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
