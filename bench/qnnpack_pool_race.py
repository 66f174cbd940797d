#!/usr/bin/python3
"""Does starting threads break a qnnpack run on another thread? Plain PyTorch, no CompressLab code.

torch.set_num_threads (at::set_num_threads) rebuilds qnnpack's process-wide thread pool, and once it has been
called, every new thread does it again on its first ATen call. One thread runs a qnnpack int8 Linear in a loop
while another thread either starts threads ("thread"), calls set_num_threads ("set") or sleeps ("none").
Measured 2026-11-25 (docs/performance.md): qnnpack stuck with "thread" (after 429 runs) and "set" (after 1);
onednn kept running with "thread" (9005 runs), and so did qnnpack with "none" (26101 runs). Why CompressLab never calls at::set_num_threads (RuntimeInfo.cpp).

    /usr/bin/python3 bench/qnnpack_pool_race.py thread|set|none [qnnpack|onednn]
"""
import os
import sys
import threading
import time

import torch

mode = sys.argv[1] if len(sys.argv) > 1 else "thread"
torch.backends.quantized.engine = sys.argv[2] if len(sys.argv) > 2 else "qnnpack"
torch.set_num_threads(2)
model = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.Linear(192, 576)), {torch.nn.Linear},
                                               dtype=torch.qint8)
x = torch.randn(128, 192)
stop = False
runs = 0


def run_forever():
    global runs
    while not stop:
        model(x)
        runs += 1


def disturb():
    global disturbances
    while time.time() < deadline:
        if mode == "set":
            torch.set_num_threads(2)
        elif mode == "none":
            time.sleep(0.01)
        else:
            t = threading.Thread(target=torch.get_num_threads)
            t.start()
            t.join()
        disturbances += 1


# Both loops run on their own threads: when the pool breaks, either may wait forever, never this one.
deadline = time.time() + 10
disturbances = 0
threading.Thread(target=run_forever, daemon=True).start()
threading.Thread(target=disturb, daemon=True).start()
time.sleep(11)
before = runs
time.sleep(2)  # nothing disturbs it now: a live run keeps counting
print(f"{mode} ({torch.backends.quantized.engine}): {disturbances} disturbances, {runs} runs, "
      f"{'still running' if runs > before else 'STUCK'}", flush=True)
os._exit(0)  # a stuck pool would also hang the interpreter's exit
