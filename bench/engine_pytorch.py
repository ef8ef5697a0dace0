#!/usr/bin/env python3
"""PyTorch CPU peer of bench/engine.ts: the same network (64x64x1; conv 16/32/64, 3x3, stride 2,
padding 1 + ReLU; flatten; dense 1; sigmoid), batch 32, Adam. Prints one JSON line.
PyTorch is never a runtime dependency of the app; this is only a yardstick."""
import argparse
import json
import os
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seconds", type=float, default=3.0, help="measuring time per phase")
    args = ap.parse_args()
    try:
        import torch
        from torch import nn
    except Exception as e:  # noqa: BLE001 - any import failure means "not available"
        print(json.dumps({"available": False, "reason": f"{type(e).__name__}: {e}"}))
        return

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch = 32
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 1),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()  # dense 1 + sigmoid + binary cross-entropy, fused
    x = torch.rand(batch, 1, 64, 64)
    y = (torch.rand(batch, 1) > 0.5).float()

    def train_step() -> float:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    def timed(fn, warmup: int) -> float:
        for _ in range(warmup):
            fn()
        steps, start = 0, time.perf_counter()
        while True:
            fn()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.seconds and steps >= 5:
                return steps * batch / elapsed

    model.train()
    train = timed(train_step, 5)
    model.eval()
    with torch.no_grad():
        infer = timed(lambda: torch.sigmoid(model(x)), 5)
    print(json.dumps({
        "available": True, "train_img_s": train, "infer_img_s": infer, "threads": torch.get_num_threads(),
        "version": torch.__version__, "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
