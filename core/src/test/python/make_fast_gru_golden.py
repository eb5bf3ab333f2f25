#!/usr/bin/python3
"""Writes core/src/test/resources/golden/fast_gru_golden.json: forward outputs AND gradients of a tiny
PyTorch nn.GRU (reset_after form, gate order r, z, n) in float64, for FastGruGoldenTest.

Loss = sum(out * G) for a fixed tensor G, so dL/dout = G; the fixture holds the parameters, input, G, the
output sequence and dL/d(every parameter) and dL/dx. Run from the repository root:
  /usr/bin/python3 core/src/test/python/make_fast_gru_golden.py
"""
import json
import os

import torch

N_IN, H, MB, T = 5, 4, 3, 6


def main():
    torch.manual_seed(20261130)
    gru = torch.nn.GRU(N_IN, H, batch_first=True).double()
    with torch.no_grad():
        for p in gru.parameters():
            p.uniform_(-0.6, 0.6)
    x = torch.randn(MB, T, N_IN, dtype=torch.float64, requires_grad=True)
    g = torch.randn(MB, T, H, dtype=torch.float64)
    out, _ = gru(x)
    (out * g).sum().backward()
    lst = lambda t: t.detach().tolist()  # noqa: E731
    fixture = {
        'description': 'torch %s nn.GRU(%d, %d, batch_first=True) float64; loss = sum(out * G)'
                       % (torch.__version__, N_IN, H),
        'n_in': N_IN, 'units': H, 'minibatch': MB, 'steps': T,
        'weight_ih': lst(gru.weight_ih_l0), 'weight_hh': lst(gru.weight_hh_l0),
        'bias_ih': lst(gru.bias_ih_l0), 'bias_hh': lst(gru.bias_hh_l0),
        'x': lst(x), 'G': lst(g), 'out': lst(out),
        'grad_weight_ih': lst(gru.weight_ih_l0.grad), 'grad_weight_hh': lst(gru.weight_hh_l0.grad),
        'grad_bias_ih': lst(gru.bias_ih_l0.grad), 'grad_bias_hh': lst(gru.bias_hh_l0.grad),
        'grad_x': lst(x.grad),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, '..', 'resources', 'golden', 'fast_gru_golden.json')
    with open(path, 'w') as f:
        json.dump(fixture, f)
        f.write('\n')
    print('wrote', os.path.normpath(path))


if __name__ == '__main__':
    main()
