#!/usr/bin/python3
"""Times the baseline's single-process preprocessing (../shared/baselines/torch_imdb.py load_data) on an
aclImdb directory and prints one JSON line: read_s (file reading), preprocess_s (tokenize + vocabulary +
pad, no I/O), cpu_s, and the review count. No training."""
import json
import os
import sys
import time

sys.path.insert(0, os.environ.get('BASELINES', os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'baselines')))
import torch_imdb  # noqa: E402

root = sys.argv[1]
t0, c0 = time.perf_counter(), time.process_time()
data, stats = torch_imdb.load_data(root)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
n = stats['n_train'] + stats['n_val'] + stats['n_test']
print(json.dumps({'reviews': n, 'read_s': stats['read_s'], 'preprocess_s': stats['preprocess_s'],
                  'total_s': wall, 'cpu_s': cpu, 'kept_words': stats['kept_words'],
                  'frac_truncated': stats['frac_truncated'], 'train_oov_token_frac': stats['train_oov_token_frac']}))
