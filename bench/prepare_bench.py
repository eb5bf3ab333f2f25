#!/usr/bin/python3
"""prepare benchmark: review-rnn `prepare` on the 50k real IMDB reviews with local[1] and local[2], side by side in
one run with the single-process Python preprocessing of ../shared/baselines/torch_imdb.py.

local[1] runs twice: on 1 core (the whole JVM confined to CPU 0 with taskset, as on a 1-core machine or container)
and on 2 cores (one task thread; the JIT compiler, GC and driver threads use the other core). The 1 -> 2 core
speedup is reported against both.

Reports reviews/s with and without JVM + Spark start-up, the 1->2 core speedup, and the ratio to Python. Prints a
Markdown table (paste it into docs/BENCHMARKS.md) and writes the raw numbers as JSON.

"Without start-up" is the job as the CLI runs it: the sum of the manifest's stage times, in a fresh JVM whose JIT
has not compiled the pipeline yet. The "warm JVM" rows run prepare --warm-runs times in one JVM and Spark session
(bench/PrepareWarm.java) and report the median of the runs after the second: the same job once JVM start-up, Spark
start-up and JIT warm-up are all paid, which is what each further corpus costs a long-running driver.

Usage: bench/prepare.sh [--repeat N]   (extracts the archive to $BENCH_DIR, default /tmp/review-rnn-bench)
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get('SHARED', os.path.join(os.path.dirname(ROOT), 'shared'))
ARCHIVE = os.path.join(SHARED, 'data', 'aclImdb-labeled.tar.gz')


# (label, Spark master, CPUs the process may use or None for all). "1 core" confines the whole JVM (task thread,
# driver, JIT compiler and GC threads) to one CPU with taskset; plain local[1] runs one task thread but the JVM's
# other threads use the second core.
CONFIGS = [('local[1], 1 core', 'local[1]', '0'), ('local[1], 2 cores', 'local[1]', None),
           ('local[2], 2 cores', 'local[2]', None)]


def pin(cpus):
    return ['taskset', '-c', cpus] if cpus else []


def run_review_rnn(config, corpus, out):
    label, master, cpus = config
    t0 = time.perf_counter()
    subprocess.run(pin(cpus) + [os.path.join(ROOT, 'review-rnn'), 'prepare', '--master', master, '--input', corpus,
                    '--output', out, '--overwrite'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, REVIEW_RNN_SKIP_BUILD='1'))
    wall = time.perf_counter() - t0
    with open(os.path.join(out, 'manifest.json')) as f:
        m = json.load(f)
    job = sum(m['stage_seconds'].values())
    n = sum(s['count'] for s in m['splits'].values())
    return {'config': label, 'input': os.path.basename(corpus), 'reviews': n, 'wall_s': wall, 'job_s': job,
            'stages': m['stage_seconds']}


def run_warm(config, corpus, out, runs):
    """prepare `runs` times in one JVM; returns the per-run job seconds (run 1 is cold)."""
    label, master, cpus = config
    p = subprocess.run(pin(cpus) + [os.path.join(ROOT, 'review-rnn'), str(runs), 'prepare', '--master', master, '--input', corpus,
                        '--output', out, '--overwrite'], check=True, capture_output=True, text=True,
                       env=dict(os.environ, REVIEW_RNN_SKIP_BUILD='1',
                                REVIEW_RNN_MAIN=os.path.join(ROOT, 'bench', 'PrepareWarm.java')))
    rs = [json.loads(line) for line in p.stdout.splitlines() if line.startswith('{')]
    if len(rs) != runs:
        raise SystemExit(f'PrepareWarm printed {len(rs)} of {runs} runs:\n{p.stdout}\n{p.stderr[-2000:]}')
    return {'config': label, 'input': os.path.basename(corpus), 'runs': rs}


def scaled_corpus(corpus_dir, work, k):
    """A corpus of k copies of the IMDB reviews (hard links, ids renumbered per copy), built once in `work`."""
    root = os.path.join(work, f'aclImdb-x{k}', 'aclImdb')
    done = os.path.join(root, '.complete')
    if not os.path.exists(done):
        for split in ('train', 'test'):
            for label in ('pos', 'neg'):
                src, dst = os.path.join(corpus_dir, split, label), os.path.join(root, split, label)
                os.makedirs(dst, exist_ok=True)
                names = os.listdir(src)
                stride = 1 + max(int(n.split('_')[0]) for n in names)
                for c in range(k):
                    for name in names:
                        rid, rest = name.split('_', 1)
                        target = os.path.join(dst, f'{int(rid) + c * stride}_{rest}')
                        if not os.path.exists(target):
                            os.link(os.path.join(src, name), target)
        open(done, 'w').close()
    return root


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
    ap.add_argument('--warm-runs', type=int, default=4, help='prepare runs per warm JVM (at least 3)')
    ap.add_argument('--scale', type=int, default=0,
                    help='also time cold runs on K copies of the corpus (hard links), e.g. 4 for 200k reviews')
    args = ap.parse_args()
    if args.warm_runs < 3:
        ap.error('--warm-runs must be at least 3 (runs 1-2 are warm-up)')
    if shutil.which('taskset') is None:
        ap.error('needs taskset (util-linux) to confine the 1-core runs to one CPU')
    if (os.cpu_count() or 1) < 2:
        ap.error('needs at least 2 CPUs')
    os.makedirs(args.work, exist_ok=True)
    corpus_dir = os.path.join(args.work, 'aclImdb')
    if not os.path.isdir(corpus_dir):
        with tarfile.open(ARCHIVE) as t:
            t.extractall(args.work)
    subprocess.run([os.path.join(ROOT, 'review-rnn'), '--version'], check=True, stdout=subprocess.DEVNULL)

    def median(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2]

    results = {'python': [], 'review-rnn': [], 'warm': []}
    for rep in range(args.repeat):
        # Interleave the configurations so machine noise hits all of them alike.
        results['python'].append(run_python(corpus_dir))
        for config in CONFIGS:
            for corpus in (corpus_dir, ARCHIVE):
                r = run_review_rnn(config, corpus, os.path.join(args.work, 'out'))
                results['review-rnn'].append(r)
                print(f"rep {rep}: {config[0]} {r['input']}: job {r['job_s']:.1f}s, wall {r['wall_s']:.1f}s",
                      file=sys.stderr)
            w = run_warm(config, corpus_dir, os.path.join(args.work, 'out'), args.warm_runs)
            results['warm'].append(w)
            print(f"rep {rep}: {config[0]} warm JVM: " + ', '.join(f"{r['job_s']:.2f}s" for r in w['runs']),
                  file=sys.stderr)

    if args.scale > 1:
        big = scaled_corpus(corpus_dir, args.work, args.scale)
        results['scaled'] = {'k': args.scale, 'python': [], 'review-rnn': []}
        for rep in range(args.repeat):
            results['scaled']['python'].append(run_python(big))
            for config in (CONFIGS[0], CONFIGS[2]):
                r = run_review_rnn(config, big, os.path.join(args.work, 'out'))
                results['scaled']['review-rnn'].append(r)
                print(f"rep {rep}: x{args.scale} {config[0]}: job {r['job_s']:.1f}s, wall {r['wall_s']:.1f}s",
                      file=sys.stderr)

    py = results['python']
    py_pre = median([p['preprocess_s'] for p in py])
    py_all = median([p['read_s'] + p['preprocess_s'] for p in py])
    n = py[0]['reviews']
    rows = []
    summary = {}
    for label, _, _ in CONFIGS:
        for name in ('aclImdb', os.path.basename(ARCHIVE)):
            rs = [r for r in results['review-rnn'] if r['config'] == label and r['input'] == name]
            job, wall = median([r['job_s'] for r in rs]), median([r['wall_s'] for r in rs])
            summary[(label, name)] = job, wall
            rows.append(f"| review-rnn {label}, {'directory' if name == 'aclImdb' else '.tar.gz'} | {n / job:,.0f} | "
                        f"{n / wall:,.0f} | {job:.1f} | {wall:.1f} | {py_all / job:.2f} | {py_pre / job:.2f} |")
    print('| run | reviews/s without start-up | reviews/s with start-up | job s | wall s | '
          'vs Python read+preprocess | vs Python preprocess only |')
    print('|---|---|---|---|---|---|---|')
    print(f"| Python baseline (read + tokenize + vocab + pad) | {n / py_all:,.0f} | - | {py_all:.1f} | - | 1.00 | - |")
    print(f"| Python baseline (tokenize + vocab + pad, no file reading) | {n / py_pre:,.0f} | - | {py_pre:.1f} | - | - | 1.00 |")
    warm = {}
    for label, _, _ in CONFIGS:
        ws = [r for w in results['warm'] if w['config'] == label for r in w['runs'][2:]]
        warm[label] = job = median([r['job_s'] for r in ws])
        rows.append(f"| review-rnn {label}, directory, warm JVM (runs 3-{args.warm_runs} of {args.warm_runs}) | "
                    f"{n / job:,.0f} | - | {job:.1f} | - | {py_all / job:.2f} | {py_pre / job:.2f} |")
    print('\n'.join(rows))
    print('\n| 1 -> 2 cores | directory, without start-up | directory, with start-up | .tar.gz, without start-up | '
          '.tar.gz, with start-up | directory, warm JVM |')
    print('|---|---|---|---|---|---|')
    two = 'local[2], 2 cores'
    for one in ('local[1], 1 core', 'local[1], 2 cores'):
        cells = []
        for name in ('aclImdb', os.path.basename(ARCHIVE)):
            for k in (0, 1):
                cells.append(f"{summary[(one, name)][k] / summary[(two, name)][k]:.2f}x")
        cells.append(f"{warm[one] / warm[two]:.2f}x")
        print(f"| {one} -> {two} | " + ' | '.join(cells) + ' |')
    print('\nJVM-wide CPU, JIT and GC seconds per prepare run (median; run 1 includes Spark start-up):')
    for label, _, _ in CONFIGS:
        ws = [w['runs'] for w in results['warm'] if w['config'] == label]
        for name, runs in (('run 1 (cold)', [r[0] for r in ws]), ('runs 3+ (warm)', [x for r in ws for x in r[2:]])):
            print(f"- {label}, {name}: job {median([r['job_s'] for r in runs]):.2f} s, process CPU "
                  f"{median([r['process_cpu_s'] for r in runs]):.2f} s, JIT {median([r['jit_s'] for r in runs]):.2f} s, "
                  f"GC {median([r['gc_s'] for r in runs]):.2f} s")
    if args.scale > 1:
        sc = results['scaled']
        big_n = sc['python'][0]['reviews']
        big_py = median([p['read_s'] + p['preprocess_s'] for p in sc['python']])
        print(f"\nCold runs (fresh JVM, as the CLI runs) on {args.scale} copies of the corpus ({big_n:,} reviews; "
              f"Python read + preprocess {big_py:.1f} s, {big_n / big_py:,.0f} reviews/s):\n")
        print('| run | reviews/s without start-up | reviews/s with start-up | job s | wall s | vs Python |')
        print('|---|---|---|---|---|---|')
        jobs = {}
        for label in (CONFIGS[0][0], CONFIGS[2][0]):
            rs = [r for r in sc['review-rnn'] if r['config'] == label]
            job, wall = median([r['job_s'] for r in rs]), median([r['wall_s'] for r in rs])
            jobs[label] = job, wall
            print(f"| review-rnn {label}, directory | {big_n / job:,.0f} | {big_n / wall:,.0f} | {job:.1f} | "
                  f"{wall:.1f} | {big_py / job:.2f} |")
        one, two = jobs[CONFIGS[0][0]], jobs[CONFIGS[2][0]]
        print(f"\n1 -> 2 cores on {big_n:,} reviews: {one[0] / two[0]:.2f}x without start-up, "
              f"{one[1] / two[1]:.2f}x with start-up")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
