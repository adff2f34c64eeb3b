"""Benchmark of cnnmath's vectorised path against the loops and PyTorch's CPU build.

Every case is timed for each implementation in turn, in blocks of repetitions that
alternate (see :func:`interleaved`), so that a burst of load from elsewhere on the
machine hits all of them alike; the table reports medians, and their spread (the
interquartile range over the median) says how steady the machine was. Both libraries
get the same number of threads (``--threads``; by default one run with 1 and one with
all cores): PyTorch through ``torch.set_num_threads`` and NumPy's BLAS through
threadpoolctl. NumPy's own elementwise operations and copies always run on one thread;
the run also checks that the other cores were free (:func:`core_scaling`).

The loops of ``cnnmath.reference`` are thousands of times slower, so they are timed
once, on one image (one minibatch for the digits epoch), and scaled linearly to the
full size; the JSON says so in each loop row's ``note``.

    python -m bench.run                 # full run, writes book/data/bench-results.json
    python -m bench.run --quick         # fewer repetitions, prints only
    python -m bench.run --case "pooling before the next conv" --merge   # others kept
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import threadpoolctl

import cnnmath
from cnnmath import models, nn, reference, shapes, training

try:
    import torch
except ImportError:            # the benchmark still runs, without the PyTorch column
    torch = None

RESULTS = Path(__file__).resolve().parent.parent / "book" / "data" / "bench-results.json"
DTYPES = ("float32", "float64")
# Below this, a multi-thread matrix product was clearly slowed by other work on the cores.
QUIET_SCALING = 0.85
# Above this spread, a timing's repetitions disagree too much for its median to mean much.
STEADY_SPREAD = 0.5


# --- the machine ----------------------------------------------------------------------

def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_machine(threads):
    """CPU, cores, load, the BLAS, and the thread counts both libraries ran with."""
    blas = [{k: info.get(k) for k in ("internal_api", "version", "architecture",
                                      "threading_layer", "num_threads", "filepath")}
            for info in threadpoolctl.threadpool_info()]
    for entry in blas:
        entry["filepath"] = Path(entry["filepath"]).name
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average_at_start": list(os.getloadavg()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "threadpools": blas,
        "blas_kernel": next((b["architecture"] for b in blas if b["internal_api"] == "openblas"),
                            None),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
        "torch": None if torch is None else torch.__version__,
        "threads": threads,
        "cnnmath": cnnmath.__version__,
    }


# --- timing ---------------------------------------------------------------------------

def once(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def interleaved(functions, repeats, rounds=5, pause=0.25):
    """Seconds of each of ``functions`` (a dict), ``repeats`` timed runs in all.

    The functions take turns in ``rounds`` rounds, so that load from elsewhere hits
    all of them alike. Within a round each runs a block of consecutive repetitions,
    after a pause and one untimed warm-up call. The pause matters: a library's worker
    threads keep spinning after their work (OpenBLAS's for about 0.1 s), and on two
    cores, measured here, they made PyTorch's next two-thread calls up to 30 times
    slower, whole blocks of them, when the pause was shorter than that.
    """
    times = {name: [] for name in functions}
    names = list(functions)
    rounds = min(rounds, repeats)
    for r in range(rounds):
        block = repeats // rounds + (r < repeats % rounds)
        for name in names[r % len(names):] + names[:r % len(names)]:   # rotate the order
            time.sleep(pause)
            functions[name]()
            times[name].extend(once(functions[name]) for _ in range(block))
    return times


def matmul_rate(dtype, repeats, n=1024):
    """The machine's measured matrix-multiply rate, FLOP/s, for (n x n) @ (n x n)."""
    rng = np.random.default_rng(0)
    a, b = (rng.normal(size=(n, n)).astype(dtype) for _ in range(2))
    times = interleaved({"matmul": lambda: a @ b}, repeats)["matmul"]
    return 2 * n ** 3 / statistics.median(times)


# --- how steady the machine was -------------------------------------------------------

def spread(times):
    """The interquartile range of ``times`` as a fraction of their median: how much the
    machine's load moved the timings during the run (0 for a perfectly steady machine)."""
    if len(times) < 4:
        return None
    q1, _, q3 = statistics.quantiles(times, n=4)
    return (q3 - q1) / statistics.median(times)


def unsteady(results):
    """The rows whose spread is above ``STEADY_SPREAD``: load from elsewhere during the run."""
    return [r for r in results["results"] if r.get("spread") is not None
            and r["spread"] > STEADY_SPREAD]


def core_scaling(gflops):
    """For each thread count t > 1: the float32 matmul rate with t threads divided by t
    times the one-thread rate. Near 1 the other cores were free during the run; well
    below it, other work was using them, and the multi-thread timings say little."""
    if "1" not in gflops:
        return {}
    one = gflops["1"]["float32"]
    return {t: r["float32"] / (int(t) * one) for t, r in gflops.items() if int(t) > 1}


# --- the cases ------------------------------------------------------------------------

def torch_cifar10(model, dtype):
    """PyTorch's copy of :func:`cnnmath.models.cifar10_network`, same weights."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10)).to(getattr(torch, dtype))
    return copy_weights(model, net)


def torch_digits(model, dtype, channels, hidden):
    """PyTorch's copy of :func:`cnnmath.models.digits_network`, same weights."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, channels, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(channels * 16, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, 10)).to(getattr(torch, dtype))
    return copy_weights(model, net)


def copy_weights(model, net):
    theirs = dict(net.named_parameters())
    with torch.no_grad():
        for name, p in model.named_parameters():
            theirs[name].copy_(torch.from_numpy(p.data))
    return net


def loop_step(model, x, y):
    """One forward and backward of a cnnmath model with every conv, pool and dense
    layer computed by the loops of :mod:`cnnmath.reference` (ReLU and the loss stay
    vectorised: they are elementwise and cost nothing next to the loops)."""
    inputs = []
    for layer in model.layers:
        inputs.append(x)
        x = loop_forward(layer, x)
    dy = cnnmath.cross_entropy_backward(x, y)
    for layer, x_in in zip(reversed(model.layers), reversed(inputs)):
        dy = loop_backward(layer, x_in, dy)
    return dy


def loop_forward(layer, x):
    if isinstance(layer, nn.Conv2d):
        return reference.conv2d(x, layer.weight.data, layer.bias.data, layer.stride, layer.padding)
    if isinstance(layer, nn.MaxPool2d):
        return reference.max_pool2d(x, **layer.options)
    if isinstance(layer, nn.Linear):
        return reference.linear(x, layer.weight.data, layer.bias.data)
    return layer.forward(x)


def loop_backward(layer, x, dy):
    if isinstance(layer, nn.Conv2d):
        return reference.conv2d_backward(dy, x, layer.weight.data, layer.stride, layer.padding)[0]
    if isinstance(layer, nn.MaxPool2d):
        return reference.max_pool2d_backward(dy, x, **layer.options)
    if isinstance(layer, nn.Linear):
        return reference.linear_backward(dy, x, layer.weight.data)[0]
    layer.forward(x)
    return layer.backward(dy)


def case_conv(dtype, backward):
    """One conv layer: 64 x 1 x 28 x 28 images, 6 filters 5 x 5, padding 2 (output 28 x 28)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 1, 28, 28)).astype(dtype)
    w = rng.normal(size=(6, 1, 5, 5)).astype(dtype)
    b = rng.normal(size=6).astype(dtype)
    dy = rng.normal(size=(64, 6, 28, 28)).astype(dtype)
    macs = 64 * shapes.conv2d_macs(1, 6, 5, 28)
    if backward:
        impls = {"cnnmath": lambda: (cnnmath.conv2d(x, w, b, padding=2),
                                     cnnmath.conv2d_backward(dy, x, w, padding=2))}
        loop = (lambda: (reference.conv2d(x[:1], w, b, padding=2),
                         reference.conv2d_backward(dy[:1], x[:1], w, padding=2)), 64)
    else:
        impls = {"cnnmath": lambda: cnnmath.conv2d(x, w, b, padding=2)}
        loop = (lambda: reference.conv2d(x[:1], w, b, padding=2), 64)
    if torch is not None:
        tx, tw, tb = (torch.from_numpy(a).requires_grad_(backward) for a in (x, w, b))
        tdy = torch.from_numpy(dy)
        if backward:
            def torch_step():
                for t in (tx, tw, tb):
                    t.grad = None
                torch.nn.functional.conv2d(tx, tw, tb, padding=2).backward(tdy)
            impls["pytorch"] = torch_step
        else:
            impls["pytorch"] = lambda: torch.nn.functional.conv2d(tx, tw, tb, padding=2)
    return impls, loop, (3 if backward else 1) * 2 * macs


def case_pool(dtype, backward):
    """Max pooling 2 x 2, stride 2, on 64 x 6 x 28 x 28 (the conv layer's output)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6, 28, 28)).astype(dtype)
    dy = rng.normal(size=(64, 6, 14, 14)).astype(dtype)
    if backward:
        impls = {"cnnmath": lambda: (cnnmath.max_pool2d(x, 2),
                                     cnnmath.max_pool2d_backward(dy, x, 2))}
        loop = (lambda: (reference.max_pool2d(x[:1], 2),
                         reference.max_pool2d_backward(dy[:1], x[:1], 2)), 64)
    else:
        impls = {"cnnmath": lambda: cnnmath.max_pool2d(x, 2)}
        loop = (lambda: reference.max_pool2d(x[:1], 2), 64)
    if torch is not None:
        tx, tdy = torch.from_numpy(x).requires_grad_(backward), torch.from_numpy(dy)
        if backward:
            def torch_step():
                tx.grad = None
                torch.nn.functional.max_pool2d(tx, 2).backward(tdy)
            impls["pytorch"] = torch_step
        else:
            impls["pytorch"] = lambda: torch.nn.functional.max_pool2d(tx, 2)
    return impls, loop, None


def case_cifar10(dtype):
    """The CIFAR-10 network, batch 64: forward, cross-entropy, backward to every parameter.

    Neither library computes the gradient with respect to the images, which training
    never reads: PyTorch because they do not require one, cnnmath through
    ``backward(..., input_grad=False)``."""
    rng = np.random.default_rng(0)
    model = models.cifar10_network(rng, dtype=np.dtype(dtype).type)
    x = rng.normal(size=(64, 3, 32, 32)).astype(dtype)
    y = rng.integers(0, 10, size=64)

    def cnnmath_step():
        logits = model.forward(x)
        cnnmath.cross_entropy(logits, y)
        model.backward(cnnmath.cross_entropy_backward(logits, y), input_grad=False)

    impls = {"cnnmath": cnnmath_step}
    loop = (lambda: loop_step(model, x[:1], y[:1]), 64)
    if torch is not None:
        net = torch_cifar10(model, dtype)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_step():
            net.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(net(tx), ty).backward()
        impls["pytorch"] = torch_step
    forward_macs = (shapes.conv2d_macs(3, 6, 5, 28) + shapes.conv2d_macs(6, 16, 5, 10)
                    + shapes.linear_macs(400, 120) + shapes.linear_macs(120, 84)
                    + shapes.linear_macs(84, 10))
    return impls, loop, 3 * 2 * 64 * forward_macs


def case_digits(dtype, channels=16, hidden=128, batch_size=16):
    """One training epoch of the network chapter's digits network (1,347 images, batch 16,
    SGD with momentum 0.9); both libraries visit the batches in the same order."""
    digits = cnnmath.load_digits()
    mean, std = digits.x_train.mean(), digits.x_train.std()
    x = ((digits.x_train - mean) / std).astype(dtype)
    y = digits.y_train
    model = models.digits_network(channels, hidden, rng=np.random.default_rng(0),
                                  dtype=np.dtype(dtype).type)
    optimizer = nn.SGD(model.parameters(), lr=0.01, momentum=0.9)
    impls = {"cnnmath": lambda: training.train_epoch(
        model, cnnmath.cross_entropy, cnnmath.cross_entropy_backward, optimizer, x, y,
        batch_size, np.random.default_rng(0))}
    batches = -(-len(x) // batch_size)
    loop = (lambda: loop_step(model, x[:batch_size], y[:batch_size]), batches)
    if torch is not None:
        net = torch_digits(model, dtype, channels, hidden)
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_epoch():
            order = torch.from_numpy(np.random.default_rng(0).permutation(len(x)))
            for start in range(0, len(x), batch_size):
                batch = order[start:start + batch_size]
                opt.zero_grad(set_to_none=True)
                torch.nn.functional.cross_entropy(net(tx[batch]), ty[batch]).backward()
                opt.step()
        impls["pytorch"] = torch_epoch
    return impls, loop, None


def case_pooling_saves(dtype):
    """The claim of sources 000 and 003 that pooling speeds up what follows, measured.

    The maps of the first conv layer after ReLU (64 x 6 x 28 x 28) go into a second conv
    layer, 16 filters 5 x 5, either as they are (output 24 x 24) or after 2 x 2 max
    pooling (14 x 14 in, 10 x 10 out). The pooled variant is timed *with* its pooling,
    so the ratio of the two is what pooling saves in the end. The four variants take
    turns (see :func:`interleaved`), so load from elsewhere hits them alike and their
    ratios stay meaningful on a busy machine. The multiply-adds differ between the
    variants, so the row carries none; the chapter counts them exactly.
    """
    rng = np.random.default_rng(0)
    maps = np.maximum(rng.normal(size=(64, 6, 28, 28)), 0).astype(dtype)
    w = rng.normal(size=(16, 6, 5, 5)).astype(dtype)
    b = rng.normal(size=16).astype(dtype)
    impls = {"cnnmath unpooled": lambda: cnnmath.conv2d(maps, w, b),
             "cnnmath pooled": lambda: cnnmath.conv2d(cnnmath.max_pool2d(maps, 2), w, b)}
    loop = (lambda: reference.conv2d(reference.max_pool2d(maps[:1], 2), w, b), 64)
    if torch is not None:
        tmaps, tw, tb = (torch.from_numpy(a) for a in (maps, w, b))
        F = torch.nn.functional
        impls["pytorch unpooled"] = lambda: F.conv2d(tmaps, tw, tb)
        impls["pytorch pooled"] = lambda: F.conv2d(F.max_pool2d(tmaps, 2), tw, tb)
    return impls, loop, None


CASES = {
    "conv forward": (lambda dt: case_conv(dt, False), "64x1x28x28, 6 filters 5x5, padding 2"),
    "conv forward+backward": (lambda dt: case_conv(dt, True), "same layer, dx, dw and db"),
    "max pool forward": (lambda dt: case_pool(dt, False), "2x2 stride 2 on 64x6x28x28"),
    "max pool forward+backward": (lambda dt: case_pool(dt, True), "same, with dx"),
    "CIFAR-10 network forward+backward": (case_cifar10, "batch 64, cross-entropy"),
    "digits training epoch": (case_digits, "1,347 images, batch 16, SGD momentum 0.9"),
    "pooling before the next conv": (case_pooling_saves, "16 filters 5x5 on 64x6x28x28 maps, "
                                     "unpooled or after 2x2 max pooling"),
}


# --- the run --------------------------------------------------------------------------

def run(repeats, thread_counts, loops, cases):
    """Time every case at each thread count; loops once (they are single-threaded)."""
    rows, rates = [], {}
    machine = describe_machine(thread_counts)
    for threads in thread_counts:
        with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
            if torch is not None:
                torch.set_num_threads(threads)
            rates[threads] = {dt: matmul_rate(dt, repeats) for dt in DTYPES}
            for name in cases:
                build, detail = CASES[name]
                for dt in DTYPES:
                    impls, (loop, scale), flops = build(dt)
                    times = interleaved(impls, repeats)
                    for impl, ts in times.items():
                        rows.append(dict(case=name, detail=detail, dtype=dt, impl=impl,
                                         threads=threads, median_s=statistics.median(ts),
                                         spread=spread(ts), times_s=ts, flops=flops))
                    if loops and threads == thread_counts[0]:
                        seconds = once(loop)
                        rows.append(dict(case=name, detail=detail, dtype=dt, impl="loops",
                                         threads=1, median_s=seconds * scale, spread=None,
                                         times_s=[seconds],
                                         flops=flops, note=f"timed once on 1/{scale} of the "
                                         f"work, times {scale}"))
                    print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    for row in rows:
        torch_row = next((r for r in rows if r["impl"] == "pytorch" and r["case"] == row["case"]
                          and r["dtype"] == row["dtype"] and r["threads"] == row["threads"]),
                         None)
        row["ratio_to_pytorch"] = (None if torch_row is None
                                   else row["median_s"] / torch_row["median_s"])
        row["share_of_matmul_rate"] = (
            None if row["flops"] is None
            else row["flops"] / row["median_s"] / rates[row["threads"]][row["dtype"]])
    machine["load_average_at_end"] = list(os.getloadavg())
    gflops = {str(t): {dt: rate / 1e9 for dt, rate in r.items()} for t, r in rates.items()}
    return {"machine": machine, "repeats": repeats, "matmul_gflops": gflops,
            "core_scaling": core_scaling(gflops), "quiet_scaling": QUIET_SCALING,
            "steady_spread": STEADY_SPREAD, "results": rows}



def table(results):
    m = results["machine"]
    lines = [f"{m['cpu']}, {m['cores']} cores; numpy {m['numpy']} (BLAS kernel "
             f"{m['blas_kernel']}), torch {m['torch']}; load average "
             f"{m['load_average_at_start'][0]:.1f} -> {m['load_average_at_end'][0]:.1f}"]
    for threads, rates in results["matmul_gflops"].items():
        lines.append(f"matrix-multiply rate, {threads} thread(s): " + ", ".join(
            f"{dt} {g:.1f} GFLOP/s" for dt, g in rates.items()))
    for threads, scaling in results["core_scaling"].items():
        lines.append(f"with {threads} threads the float32 rate is {scaling:.0%} of {threads} "
                     f"times the one-thread rate")
        if scaling < QUIET_SCALING:
            lines.append(f"WARNING: other work was using the cores, so the {threads}-thread "
                         f"timings are unreliable; run again on a quiet machine")
    lines.append(f"{'case':36s} {'dtype':8s} {'impl':8s} {'threads':>7s} {'median ms':>11s} "
                 f"{'spread':>7s} {'x PyTorch':>10s} {'% matmul':>9s}")
    for r in sorted(results["results"], key=lambda r: (r["threads"], list(CASES).index(r["case"]))):
        ratio = "" if r["ratio_to_pytorch"] is None else f"{r['ratio_to_pytorch']:.2f}"
        rate = r["share_of_matmul_rate"]
        share = "" if rate is None else f"{100 * rate:.1f}"
        spread_ = "" if r.get("spread") is None else f"{100 * r['spread']:.0f}%"
        lines.append(f"{r['case']:36s} {r['dtype']:8s} {r['impl']:8s} {r['threads']:7d} "
                     f"{1e3 * r['median_s']:11.2f} {spread_:>7s} {ratio:>10s} {share:>9s}")
    for r in unsteady(results):
        lines.append(f"WARNING: {r['case']}, {r['dtype']}, {r['impl']}, {r['threads']} thread(s): "
                     f"spread {r['spread']:.0%} (over {STEADY_SPREAD:.0%}); the machine was busy, "
                     f"run again on a quiet machine")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=21, help="timed runs of each (median)")
    parser.add_argument("--threads", type=int, action="append",
                        help="threads for PyTorch and for NumPy's BLAS, repeatable "
                             "(default: 1 and then all cores)")
    parser.add_argument("--quick", action="store_true",
                        help="5 repeats, no loops, results printed but not written")
    parser.add_argument("--no-loops", action="store_true", help="skip the reference loops")
    parser.add_argument("--case", action="append", choices=list(CASES),
                        help="run only this case (repeatable)")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"where to write the JSON (default {RESULTS})")
    parser.add_argument("--merge", action="store_true",
                        help="replace only the rows of the cases run in the existing JSON, "
                             "keeping the other rows and the machine description")
    args = parser.parse_args(argv)
    repeats = 5 if args.quick else args.repeats
    threads = args.threads or sorted({1, os.cpu_count() or 1})
    results = run(repeats, threads, not (args.quick or args.no_loops),
                  args.case or list(CASES))
    print(table(results))
    if not args.quick and args.merge and args.output.exists():
        merged = json.loads(args.output.read_text())
        ran = set(args.case or CASES)
        merged["results"] = [r for r in merged["results"] if r["case"] not in ran]
        merged["results"] += results["results"]
        merged.setdefault("merged_later", []).append(
            {"cases": sorted(ran), "machine": results["machine"],
             "matmul_gflops": results["matmul_gflops"]})
        results = merged
    if not args.quick:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1) + "\n")
        print(f"results written to {args.output}")


if __name__ == "__main__":
    main()
