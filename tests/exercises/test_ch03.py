"""Chapter 3's checks: the official answers pass, plausible wrong answers get a hint.

The right answers are computed here independently of cnnmath.exercises._ch03: by
counting windows in plain Python, by brute force over input sizes, or by hand-written
arithmetic from the chapter's formulas.
"""

import math

import numpy as np
import sympy as sp

from cnnmath.exercises import check


def windows(n, k, s, p=0):
    """Start positions of the windows that fit, counted one by one."""
    return [start for start in range(0, n + 2 * p) if start % s == 0
            and start + k <= n + 2 * p]


def unread_by_counting(n, k, s):
    read = {start + u for start in windows(n, k, s) for u in range(k)}
    return n - len(read)


def test_unread_official_answer_passes():
    assert check("size-ex-unread", unread_by_counting)


def test_unread_wrong_answers_get_hints():
    # The leftover alone forgets the gaps once the stride exceeds the kernel.
    verdict = check("size-ex-unread", lambda n, k, s: (n - k) % s)
    assert not verdict and "gaps" in verdict.message
    # Off by one: the first window forgotten.
    verdict = check("size-ex-unread", lambda n, k, s: unread_by_counting(n, k, s) + 1)
    assert not verdict and "too many" in verdict.message
    verdict = check("size-ex-unread", 3)
    assert not verdict and "function" in verdict.message


M, k, s, p, d = sp.symbols("M k s p d", positive=True, integer=True)


def test_preimage_official_answer_passes_and_is_the_smallest():
    smallest = (M - 1) * s + d * (k - 1) + 1 - 2 * p
    assert check("size-ex-preimage", smallest)
    # Independently: brute force over n for a few configurations.
    for M_, k_, s_, p_, d_ in [(3, 3, 2, 1, 1), (4, 2, 3, 0, 2), (2, 5, 1, 2, 1)]:
        sizes = {n: math.floor((n + 2 * p_ - d_ * (k_ - 1) - 1) / s_) + 1
                 for n in range(1, 60)}
        first = min(n for n, size in sizes.items() if size == M_)
        assert first == smallest.subs({M: M_, k: k_, s: s_, p: p_, d: d_})


def test_preimage_symbols_without_assumptions_pass():
    n_, k_, s_, p_, d_ = sp.symbols("M k s p d")
    assert check("size-ex-preimage", (n_ - 1) * s_ + d_ * (k_ - 1) + 1 - 2 * p_)


def test_preimage_wrong_answers_get_hints():
    verdict = check("size-ex-preimage", (M - 1) * s + d * (k - 1) - 2 * p)
    assert not verdict and "off by the constant -1" in verdict.message
    verdict = check("size-ex-preimage", M * s + d * (k - 1) + 1 - 2 * p)
    assert not verdict and "stride" in verdict.message
    verdict = check("size-ex-preimage", (M - 1) * s + d * (k - 1) + 1 - p)
    assert not verdict and "not equal" in verdict.message
    verdict = check("size-ex-preimage", [1, 2])
    assert not verdict and "expression" in verdict.message


def test_upsample():
    # (n - 1) s - 2p + k from eq-size-transposed, with n = 7, s = 2, p = 1, k = 3.
    assert check("size-ex-upsample", 14 - ((7 - 1) * 2 - 2 * 1 + 3))
    verdict = check("size-ex-upsample", 0)
    assert not verdict and "14 x 14" in verdict.message


def pool_size(n, k, s, p, ceil_mode):
    room = n + 2 * p - k
    size = (math.ceil(room / s) if ceil_mode else room // s) + 1
    if ceil_mode and (size - 1) * s >= n + p:
        size -= 1
    return size


def test_ceil_official_answer_passes():
    lists = tuple([n for n in range(1, 17) if n + 2 * p_ >= k_
                   and pool_size(n, k_, s_, p_, True) != pool_size(n, k_, s_, p_, False)]
                  for k_, s_, p_ in [(2, 2, 0), (3, 2, 1)])
    assert check("size-ex-ceil", lists)
    assert check("size-ex-ceil", (np.array(lists[0]), lists[1][::-1]))   # any order


def test_ceil_wrong_answers_get_hints():
    odd, even = list(range(3, 17, 2)), list(range(2, 17, 2))
    verdict = check("size-ex-ceil", (even, odd))                 # the two swapped
    assert not verdict and "first list" in verdict.message and "leftover" in verdict.message
    verdict = check("size-ex-ceil", (odd, even[1:]))             # n = 2 forgotten
    assert not verdict and "n = 2" in verdict.message
    verdict = check("size-ex-ceil", odd)
    assert not verdict and "pair" in verdict.message


def test_receptive():
    plain = next(L for L in range(1, 40) if 1 + 2 * L >= 33)
    doubling = next(L for L in range(1, 40) if 1 + sum(2 * 2 ** i for i in range(L)) >= 33)
    assert check("size-ex-receptive", (plain, doubling))
    verdict = check("size-ex-receptive", (plain + 1, doubling))
    assert not verdict and "[0]" in verdict.message
    verdict = check("size-ex-receptive", (doubling, plain))
    assert not verdict and "[0]" in verdict.message


def test_same_cifar():
    side = ((32 // 2) - 4) // 2                      # 'same' keeps 32; pool, conv 5, pool
    flat = 16 * side * side
    total = (6 * (3 * 25 + 1) + 16 * (6 * 25 + 1) + 120 * (flat + 1) + 84 * (120 + 1)
             + 10 * (84 + 1))
    assert check("size-ex-same-cifar", total)
    verdict = check("size-ex-same-cifar", total - 120 * (flat - 400))   # the original
    assert not verdict and "dense" in verdict.message
    verdict = check("size-ex-same-cifar", flat)
    assert not verdict and "flattened" in verdict.message
    verdict = check("size-ex-same-cifar", "many")
    assert not verdict and "number" in verdict.message


# Found by the review of the checks (one test per defect fixed).

def test_unread_odd_return_values_give_hints_not_tracebacks():
    for returned in (None, "3", [1, 2], 2.5):
        verdict = check("size-ex-unread", lambda n, k, s, r=returned: r)
        assert not verdict and "whole number" in verdict.message
    assert check("size-ex-unread",
                 lambda n, k, s: np.float32(unread_by_counting(n, k, s)))


def test_preimage_other_forms_and_the_largest_n():
    text = "(M - 1)*s + d*(k - 1) + 1 - 2*p"       # S is a SymPy name in strings
    assert check("size-ex-preimage", text)
    verdict = check("size-ex-preimage", [(M - 1) * s + d * (k - 1) + 1 - 2 * p])
    assert not verdict and "[0]" in verdict.message                # sp.solve's list
    verdict = check("size-ex-preimage", M * s + d * (k - 1) - 2 * p)
    assert not verdict and "largest" in verdict.message


def test_preimage_written_with_the_batch_letter_is_told_which_letter():
    N = sp.Symbol("N", integer=True)
    verdict = check("size-ex-preimage", (N - 1) * s + d * (k - 1) + 1 - 2 * p)
    assert not verdict and "symbol M" in verdict.message


def test_upsample_forms_and_hints():
    assert check("size-ex-upsample", np.int64(1)) and check("size-ex-upsample", 1.0)
    assert check("size-ex-upsample", np.array([1]))
    verdict = check("size-ex-upsample", True)                   # not the number 1
    assert not verdict and "whole number" in verdict.message
    verdict = check("size-ex-upsample", 0)
    assert not verdict and "13 x 13" in verdict.message and "first and the last" \
        not in verdict.message
    verdict = check("size-ex-upsample", 2)
    assert not verdict and "smaller than the stride" in verdict.message


def test_ceil_rejects_fractions_and_explains_too_small_sizes():
    odd, even = list(range(3, 17, 2)), list(range(2, 17, 2))
    verdict = check("size-ex-ceil", ([n + 0.5 for n in odd], even))    # was truncated
    assert not verdict and "whole numbers" in verdict.message
    verdict = check("size-ex-ceil", ([1] + odd, even))
    assert not verdict and "n = 1" in verdict.message and "no output" in verdict.message
    assert check("size-ex-ceil", [np.array(odd), np.array(even, dtype=np.float32)])
