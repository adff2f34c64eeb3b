"""The fast path of "Making it fast": flat im2col/col2im, blocks, scratch arrays, max pooling.

Every check compares with an independent oracle: the loops of ``cnnmath.reference``,
the index formula written out, the adjoint identity, or PyTorch. The committed
benchmark results that the chapter reads are checked for completeness.
"""

import json
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from conv_strategies import conv_calls, geometry
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnmath
from bench.run import QUIET_SCALING, STEADY_SPREAD, core_scaling, spread, unsteady
from cnnmath import _conv_flat, conv, reference

RESULTS = Path(__file__).resolve().parent.parent / "book" / "data" / "bench-results.json"


def _layout_and_x(n=2, c=2, h=5, w=6, k=(3, 2), pads=((1, 0), (2, 1)), d=(1, 2), seed=0):
    x = np.random.default_rng(seed).normal(size=(n, c, h, w))
    return _conv_flat.flat_layout(x.shape, pads, k, d), x


# --- flat im2col and col2im against their definitions ---------------------------------

def test_im2col_flat_holds_the_window_entries():
    pads, k, d = ((1, 0), (2, 1)), (3, 2), (1, 2)
    layout, x = _layout_and_x(pads=pads, k=k, d=d)
    x_pad = np.pad(x, ((0, 0), (0, 0)) + pads)
    cols = _conv_flat.im2col_flat(_conv_flat.to_flat(x, layout, x.dtype), layout)
    cols = cols.reshape(layout.channels, k[0], k[1], layout.n, layout.out_h, layout.w_pad)
    for c, u, v, n, i, j in np.ndindex(cols.shape[:5] + (layout.out_w,)):
        assert cols[c, u, v, n, i, j] == x_pad[n, c, i + u * d[0], j + v * d[1]]


def test_shifted_view_holds_every_taps_shift_of_the_rows():
    pads, k, d = ((1, 0), (2, 1)), (3, 2), (1, 2)
    layout, x = _layout_and_x(pads=pads, k=k, d=d)
    flat = _conv_flat.to_flat(x, layout, x.dtype)
    span = layout.n * layout.h_pad * layout.w_pad
    view = _conv_flat.shifted_view(flat, layout, span)
    assert view.shape == (k[0], k[1], layout.channels, span)
    assert not view.flags.writeable and np.shares_memory(view, flat)
    for u, v, c, q in np.ndindex(view.shape):
        assert view[u, v, c, q] == flat[c, q + u * d[0] * layout.w_pad + v * d[1]]


def test_col2im_flat_is_the_adjoint_of_im2col_flat():
    # <im2col(x), C> = <x, col2im(C)> for every C that is 0 in the thrown-away columns
    layout, x = _layout_and_x()
    cols = _conv_flat.im2col_flat(_conv_flat.to_flat(x, layout, x.dtype), layout)
    patches = np.random.default_rng(1).normal(size=cols.shape)
    patches.reshape(-1, layout.out_h, layout.w_pad)[:, :, layout.out_w:] = 0
    back = _conv_flat.from_flat(_conv_flat.col2im_flat(patches, layout), layout)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(cols * patches), np.sum(x * back), rtol=1e-12)


def test_to_flat_and_from_flat_round_trip():
    layout, x = _layout_and_x()
    flat = _conv_flat.to_flat(x, layout, x.dtype)
    assert flat.shape == (2, 2 * layout.h_pad * layout.w_pad + layout.offsets[-1])
    np.testing.assert_array_equal(_conv_flat.from_flat(flat, layout), x)
    assert flat.sum() == pytest.approx(x.sum())           # the padding and tail are zeros


# --- the fast conv2d equals the loops -------------------------------------------------

def _stride_one(call):
    return {**call, "stride": 1}


@settings(derandomize=True, deadline=None, max_examples=150)
@given(conv_calls(), st.sampled_from([np.float64, np.float32]), st.sampled_from([64, 1 << 22]))
def test_fast_conv2d_and_backward_match_loops(call, dtype, block_bytes):
    call = _stride_one(call)
    x, w = call["x"].astype(dtype), call["w"].astype(dtype)
    b = None if call["b"] is None else call["b"].astype(dtype)
    # 64 bytes: one image per block
    old, _conv_flat.BLOCK_BYTES = _conv_flat.BLOCK_BYTES, block_bytes
    try:
        y = cnnmath.conv2d(x, w, b, **geometry(call))
        dy = np.random.default_rng(0).normal(size=y.shape).astype(dtype)
        grads = cnnmath.conv2d_backward(dy, x, w, **geometry(call))
    finally:
        _conv_flat.BLOCK_BYTES = old
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(y, reference.conv2d(x, w, b, **geometry(call)), rtol=tol, atol=tol)
    for fast, slow in zip(grads, reference.conv2d_backward(dy, x, w, **geometry(call))):
        assert fast.dtype == dtype and fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, rtol=tol, atol=tol * 10)


def test_scratch_arrays_never_leak_into_results():
    rng = np.random.default_rng(0)
    big, small = rng.normal(size=(3, 2, 9, 9)), rng.normal(size=(1, 2, 4, 5))
    w = rng.normal(size=(3, 2, 3, 3))
    y_big = cnnmath.conv2d(big, w, padding=1)
    kept = y_big.copy()
    y_small = cnnmath.conv2d(small, w, padding=1)          # reuses the same scratch arrays
    dx, dw, db = cnnmath.conv2d_backward(np.ones_like(y_small), small, w, padding=1)
    np.testing.assert_array_equal(y_big, kept)
    for result in (y_big, y_small, dx, dw, db):
        assert result.base is None or not any(
            np.shares_memory(result, a) for a in _conv_flat._scratch.arrays.values())
    np.testing.assert_allclose(y_small, reference.conv2d(small, w, padding=1), atol=1e-12)
    np.testing.assert_allclose(cnnmath.conv2d(big, w, padding=1), kept, atol=0)
    _conv_flat.clear_workspace()
    np.testing.assert_allclose(cnnmath.conv2d(small, w, padding=1), y_small, atol=0)


def test_threads_get_their_own_scratch_arrays():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 3, 3, 3))
    inputs = [rng.normal(size=(8, 3, 12 + i, 12)) for i in range(4)]
    expected = [conv.conv2d(x, w, stride=(1, 1), padding=1) for x in inputs]
    results = [None] * len(inputs)

    def work(i):
        for _ in range(20):
            results[i] = cnnmath.conv2d(inputs[i], w, padding=1)
            if not np.array_equal(results[i], expected[i]):
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype, tol", [(np.float32, 2e-4), (np.float64, 1e-10)])
def test_fast_conv_layer_matches_pytorch(dtype, tol):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 1, 28, 28)).astype(dtype)
    w = rng.normal(size=(6, 1, 5, 5)).astype(dtype)
    b, dy = rng.normal(size=6).astype(dtype), rng.normal(size=(16, 6, 28, 28)).astype(dtype)
    tx, tw, tb = (torch.from_numpy(a).requires_grad_(True) for a in (x, w, b))
    y_t = torch.nn.functional.conv2d(tx, tw, tb, padding=2)
    y_t.backward(torch.from_numpy(dy))
    np.testing.assert_allclose(cnnmath.conv2d(x, w, b, padding=2), y_t.detach().numpy(),
                               rtol=tol, atol=tol)
    for ours, theirs in zip(cnnmath.conv2d_backward(dy, x, w, padding=2), (tx, tw, tb)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=tol, atol=tol * 100)


# --- max pooling: running maximum, gradient to the first maximum ----------------------

@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(0, 1),
       st.integers(1, 2), st.booleans(), st.integers(0, 2**32 - 1))
def test_max_pool_with_many_ties_matches_loops(k, s, extra, p, d, ceil_mode, seed):
    p = min(p, k // 2)
    rng = np.random.default_rng(seed)
    size = d * (k - 1) + 1 + extra
    x = rng.integers(0, 3, size=(2, 2, size, size + 1)).astype(float)    # ties everywhere
    args = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)
    y = cnnmath.max_pool2d(x, **args)
    np.testing.assert_array_equal(y, reference.max_pool2d(x, **args))
    dy = rng.normal(size=y.shape)
    np.testing.assert_allclose(cnnmath.max_pool2d_backward(dy, x, **args),
                               reference.max_pool2d_backward(dy, x, **args), atol=1e-12)


def test_max_pool_sends_a_nan_windows_gradient_to_its_first_nan():
    # As np.argmax (the previous implementation) does. PyTorch 2.13 sends it to the
    # window's last NaN instead; either way the gradient is not a number anyone can use.
    x = np.array([[[[1.0, np.nan], [np.nan, 5.0]]]])
    assert np.isnan(cnnmath.max_pool2d(x, 2)).all()
    dx = cnnmath.max_pool2d_backward(np.array([[[[2.0]]]]), x, 2)
    np.testing.assert_array_equal(dx, [[[[0.0, 2.0], [0.0, 0.0]]]])


# --- the committed benchmark results the chapter reads --------------------------------

def test_committed_benchmark_results_are_complete():
    results = json.loads(RESULTS.read_text())
    machine = results["machine"]
    for key in ("cpu", "cores", "numpy", "blas_kernel", "torch", "threads"):
        assert machine[key], key
    assert 1 in machine["threads"]
    for threads in machine["threads"]:
        assert set(results["matmul_gflops"][str(threads)]) == {"float32", "float64"}
    rows = results["results"]
    cases = {r["case"] for r in rows}
    assert {"conv forward", "conv forward+backward", "max pool forward",
            "CIFAR-10 network forward+backward", "digits training epoch"} <= cases
    pooling_variants = {f"{lib} {variant}" for lib in ("cnnmath", "pytorch")
                        for variant in ("pooled", "unpooled")}
    for case in cases:
        # The pooling case compares two variants on one thread (bench.run --case ...
        # --threads 1 --no-loops --merge); every other case runs on every thread count.
        pooling = case == "pooling before the next conv"
        for dtype in ("float32", "float64"):
            for threads in [1] if pooling else machine["threads"]:
                impls = {r["impl"] for r in rows if r["case"] == case and r["dtype"] == dtype
                         and r["threads"] == threads}
                if pooling:
                    expected = pooling_variants
                else:
                    expected = {"cnnmath", "pytorch"} | ({"loops"} if threads == 1 else set())
                assert impls == expected, (case, dtype, threads, impls)
    for r in rows:
        assert r["median_s"] > 0
        if r["impl"] in pooling_variants:     # compared variant to variant, not to PyTorch
            assert r["ratio_to_pytorch"] is None
        else:
            assert r["ratio_to_pytorch"] > 0
        if r["impl"] == "loops":
            assert "timed once" in r["note"] and r["spread"] is None
        else:
            assert r["spread"] == pytest.approx(spread(r["times_s"]))


def test_spread_is_the_interquartile_range_over_the_median():
    assert spread([1.0, 1.0, 1.0, 1.0]) == 0
    # quartiles of 1..9 (exclusive method): 2.5 and 7.5; median 5
    assert spread([float(t) for t in range(1, 10)]) == pytest.approx(1.0)
    assert spread([1.0, 2.0]) is None


def test_committed_benchmark_ran_with_the_other_cores_free():
    # make bench warns when other work slowed its multi-thread matrix product; the
    # chapter's multi-thread rows must not come from such a run. (Single timings that
    # spread widely are listed by the chapter, not forbidden: on a shared machine a few
    # always do.)
    results = json.loads(RESULTS.read_text())
    assert results["core_scaling"] == core_scaling(results["matmul_gflops"])
    assert results["quiet_scaling"] == QUIET_SCALING
    assert set(results["core_scaling"]) == {str(t) for t in results["machine"]["threads"] if t > 1}
    for threads, scaling in results["core_scaling"].items():
        assert scaling >= QUIET_SCALING, (threads, scaling)
    assert results["steady_spread"] == STEADY_SPREAD


def test_unsteady_lists_the_rows_whose_spread_is_too_large():
    rows = [{"spread": None}, {"spread": STEADY_SPREAD}, {"spread": STEADY_SPREAD + 0.01}]
    assert unsteady({"results": rows}) == rows[2:]


def test_core_scaling_flags_a_busy_second_core():
    quiet = core_scaling({"1": {"float32": 100.0}, "2": {"float32": 190.0}})
    busy = core_scaling({"1": {"float32": 100.0}, "2": {"float32": 120.0}})
    assert quiet == {"2": 0.95} and quiet["2"] >= QUIET_SCALING > busy["2"]
    assert core_scaling({"2": {"float32": 1.0}}) == {}


# --- FFT correlation ------------------------------------------------------------------

@settings(derandomize=True, deadline=None, max_examples=60)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 5), st.integers(1, 5),
       st.sampled_from(["valid", "same", "full"]), st.integers(0, 2**32 - 1))
def test_correlate2d_fft_matches_loops(h, w, k_h, k_w, mode, seed):
    rng = np.random.default_rng(seed)
    grow = mode == "valid"
    image = rng.normal(size=(h + grow * (k_h - 1), w + grow * (k_w - 1)))
    kernel = rng.normal(size=(k_h, k_w))
    np.testing.assert_allclose(conv.correlate2d_fft(image, kernel, mode),
                               reference.correlate2d(image, kernel, mode), atol=1e-11)


def test_correlate2d_fft_keeps_float32_and_checks_the_fit():
    image, kernel = np.ones((6, 5), np.float32), np.ones((3, 3), np.float32)
    assert conv.correlate2d_fft(image, kernel).dtype == np.float32
    np.testing.assert_allclose(conv.correlate2d_fft(image, kernel), 9, rtol=1e-6)
    with pytest.raises(ValueError, match="does not fit"):
        conv.correlate2d_fft(np.ones((2, 2)), np.ones((3, 3)))


# --- parameter gradients only ---------------------------------------------------------

@settings(derandomize=True, deadline=None, max_examples=60)
@given(conv_calls(), st.sampled_from([np.float64, np.float32]))
def test_conv2d_backward_weight_matches_loops(call, dtype):
    x, w = call["x"].astype(dtype), call["w"].astype(dtype)
    y = reference.conv2d(x, w, None, **geometry(call))
    dy = np.random.default_rng(1).normal(size=y.shape).astype(dtype)
    dw, db = conv.conv2d_backward_weight(dy, x, w, **geometry(call))
    _, dw_loop, db_loop = reference.conv2d_backward(dy, x, w, **geometry(call))
    tol = 1e-12 if dtype == np.float64 else 2e-5
    assert dw.dtype == dtype and db.dtype == dtype
    np.testing.assert_allclose(dw, dw_loop, rtol=tol, atol=tol * 10)
    np.testing.assert_allclose(db, db_loop, rtol=tol, atol=tol * 10)


def test_conv2d_backward_weight_checks_dy():
    with pytest.raises(ValueError, match="dy must have the shape"):
        conv.conv2d_backward_weight(np.ones((1, 2, 3, 3)), np.ones((1, 1, 4, 4)),
                                    np.ones((2, 1, 3, 3)))


def test_symbols_take_the_general_path_and_stay_exact():
    import sympy as sp
    x = np.array(sp.symbols("x0:9"), dtype=object).reshape(1, 1, 3, 3)
    w = np.array(sp.symbols("w0:4"), dtype=object).reshape(1, 1, 2, 2)
    assert not _conv_flat.use_flat(conv._Geometry(x, w, 1, 0, 1))
    y = cnnmath.conv2d(x, w)
    first_window = (x[0, 0, 0, 0] * w[0, 0, 0, 0] + x[0, 0, 0, 1] * w[0, 0, 0, 1]
                    + x[0, 0, 1, 0] * w[0, 0, 1, 0] + x[0, 0, 1, 1] * w[0, 0, 1, 1])
    assert sp.expand(y[0, 0, 0, 0] - first_window) == 0


@pytest.mark.parametrize("call, error, words", [
    (lambda: conv.correlate2d_fft(np.ones((3, 3, 1)), np.ones((2, 2))), ValueError,
     ["image", "2 dimensions"]),
    (lambda: conv.correlate2d_fft(np.ones((3, 3)), np.ones((2, 2)), mode="circular"), ValueError,
     ["mode", "circular"]),
    (lambda: conv.correlate2d_fft(np.ones((3, 3)), "kernel"), TypeError, ["kernel"]),
    (lambda: conv.conv2d_backward_weight(np.ones((1, 2, 2, 2)), np.ones((1, 3, 4, 4)),
                                         np.ones((2, 1, 3, 3))),
     ValueError, ["channels"]),
    (lambda: conv.conv2d_backward_weight(np.ones((1, 2, 2, 2)), np.ones((1, 1, 4, 4)),
                                         np.ones((2, 1, 3, 3)),
                                         stride=0), ValueError, ["stride", "0"]),
])
def test_new_functions_reject_bad_input_by_name(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert all(word in str(raised.value) for word in words), str(raised.value)
