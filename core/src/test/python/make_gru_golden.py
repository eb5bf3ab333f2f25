#!/usr/bin/python3
"""Golden values for the reference GRU (core/src/test/resources/golden/gru-golden.json).

PyTorch nn.GRU (the Keras reset_after=True cell) in float64 with fixed random weights and inputs. Records the
forward output sequence, the last hidden state, and the gradients of loss = sum(output * g) for a fixed g with
respect to every parameter and to the input. A second case starts from a non-zero initial state h0.

Layout mapping to review-rnn's GRU (GruParamInitializer): W = weight_ih_l0.T [nIn, 3u], RW = weight_hh_l0.T
[u, 3u], b = bias_ih_l0, rb = bias_hh_l0; gate blocks (r, z, n). Arrays are written as nested lists in PyTorch's
batch_first shapes: input [mb, T, nIn], output [mb, T, u].

Run: /usr/bin/python3 core/src/test/python/make_gru_golden.py  (torch 1.13, Debian python3-torch)
"""
import json
import os

import torch

MB, T, N_IN, UNITS = 3, 7, 5, 4


def case(gen, with_h0):
    gru = torch.nn.GRU(input_size=N_IN, hidden_size=UNITS, batch_first=True).double()
    with torch.no_grad():
        for p in gru.parameters():
            p.copy_(torch.rand(p.shape, generator=gen, dtype=torch.float64) * 1.6 - 0.8)
    x = (torch.rand(MB, T, N_IN, generator=gen, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    h0 = (torch.rand(1, MB, UNITS, generator=gen, dtype=torch.float64) * 2 - 1) if with_h0 else None
    g = torch.rand(MB, T, UNITS, generator=gen, dtype=torch.float64) * 2 - 1
    out, h_n = gru(x, h0) if h0 is not None else gru(x)
    loss = (out * g).sum()
    loss.backward()
    rows = lambda t: t.detach().tolist()
    result = {
        "W": rows(gru.weight_ih_l0.t()),
        "RW": rows(gru.weight_hh_l0.t()),
        "b": rows(gru.bias_ih_l0),
        "rb": rows(gru.bias_hh_l0),
        "input": rows(x),
        "output": rows(out),
        "last_state": rows(h_n[0]),
        "eps": rows(g),
        "grad_W": rows(gru.weight_ih_l0.grad.t()),
        "grad_RW": rows(gru.weight_hh_l0.grad.t()),
        "grad_b": rows(gru.bias_ih_l0.grad),
        "grad_rb": rows(gru.bias_hh_l0.grad),
        "grad_input": rows(x.grad),
    }
    if h0 is not None:
        result["h0"] = rows(h0[0])
    return result


def main():
    gen = torch.Generator().manual_seed(20240611)
    golden = {
        "source": "torch.nn.GRU float64, torch " + torch.__version__ + ", make_gru_golden.py",
        "mb": MB, "steps": T, "n_in": N_IN, "units": UNITS,
        "cases": {"zero_state": case(gen, False), "initial_state": case(gen, True)},
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "resources", "golden", "gru-golden.json")
    with open(target, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(target))


if __name__ == "__main__":
    main()
