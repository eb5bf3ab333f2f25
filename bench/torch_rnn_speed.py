#!/usr/bin/python3
"""PyTorch side of the recurrent speed micro-benchmark (issues 3 and 9).

Times the six models of /work/shared/baselines/torch_imdb.py (imported from ../shared/baselines, not copied) on
random token ids: training = forward + backward + RMSprop step at batch 64 x 100 steps, inference = forward at
batch 1024, torch.set_num_threads(2). Prints one JSON list on stdout.

  /usr/bin/python3 bench/torch_rnn_speed.py --seconds 4 [--models lstm,gru] [--baselines DIR]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--seconds', type=float, default=4.0)
    ap.add_argument('--models', default='simplernn_onehot,simplernn_embed,lstm,lstm_dropout,lstm2,gru')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--baselines', default=os.path.join(here, '..', '..', 'shared', 'baselines'))
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.baselines))
    import torch_imdb as ti  # noqa: E402  (model code of the shared baseline)

    torch.set_num_threads(args.threads)
    rows = []
    for name in args.models.split(','):
        torch.manual_seed(42)
        model = ti.KerasLikeRNNClassifier(name)
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.RMSprop(params, lr=ti.LR, alpha=ti.RHO, eps=ti.EPS)
        g = torch.Generator().manual_seed(7)
        batches = [(torch.randint(0, ti.NUM_WORDS, (ti.BATCH, ti.MAXLEN), generator=g),
                    torch.randint(0, 2, (ti.BATCH,), generator=g).float()) for _ in range(8)]

        def step(i):
            xb, yb = batches[i % len(batches)]
            loss = F.binary_cross_entropy_with_logits(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

        model.train()
        t_end = time.perf_counter() + min(2.0, args.seconds / 2)
        i = 0
        while time.perf_counter() < t_end or i < 3:
            step(i)
            i += 1
        t0 = time.perf_counter()
        c0 = time.process_time()
        t_end = t0 + args.seconds
        n = 0
        while time.perf_counter() < t_end or n < 3:
            step(n)
            n += 1
        train = n * ti.BATCH / (time.perf_counter() - t0)
        train_cpu = n * ti.BATCH / (time.process_time() - c0)

        model.eval()
        xi = torch.randint(0, ti.NUM_WORDS, (ti.INFER_BATCH, ti.MAXLEN), generator=g)
        with torch.no_grad():
            model(xi)
            t0 = time.perf_counter()
            t_end = t0 + args.seconds / 2
            m = 0
            while time.perf_counter() < t_end or m < 2:
                model(xi)
                m += 1
            infer = m * ti.INFER_BATCH / (time.perf_counter() - t0)
        rows.append({'model': name, 'impl': 'torch%d' % args.threads, 'params': sum(p.numel() for p in params),
                     'train_samples_per_s': train, 'train_samples_per_cpu_s': train_cpu,
                     'infer_samples_per_s': infer,
                     'infer_batch': ti.INFER_BATCH, 'threads': torch.get_num_threads()})
        print(f"{name:17s} torch{args.threads} {train:10.0f} {train_cpu:10.0f} {infer:10.0f} {rows[-1]['params']:8d}",
              file=sys.stderr, flush=True)
    print(json.dumps(rows, indent=1))


if __name__ == '__main__':
    main()
