"""Real data that ships with the installed packages, so the book needs no network.

* ``sample_image()``: the photograph of Grace Hopper that matplotlib ships.
* ``load_digits()``: the 1,797 real 8x8 handwritten digits that scikit-learn
  ships (the UCI optical-recognition test set), split into train and test.
"""

from collections import namedtuple

import numpy as np

from ._validation import as_int, as_real, check_choice

__all__ = ["sample_image", "to_nchw", "load_digits", "DigitsSplit"]

DigitsSplit = namedtuple("DigitsSplit", ["x_train", "y_train", "x_test", "y_test"])
DigitsSplit.__doc__ = """The digits split in two: images (N, 1, 8, 8) and labels (N,).

``x_train`` and ``x_test`` hold pixels in [0, 1]; ``y_train`` and ``y_test`` the
int64 classes 0..9.

Notes
-----
The book introduces the digits in :ref:`images-chapter` and trains on them in
:ref:`net-training`.
"""


def sample_image(kind="rgb"):
    """Return the photograph that matplotlib ships (Grace Hopper, 600 x 512 pixels).

    Parameters
    ----------
    kind : {'rgb', 'gray'}
        ``'rgb'`` gives an array of shape (H, W, 3); ``'gray'`` gives (H, W),
        the ITU-R BT.601 luma ``0.299 R + 0.587 G + 0.114 B`` rounded back to
        integers.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3) or (H, W)
        Values 0..255, rows top to bottom.

    Raises
    ------
    ValueError
        If kind is not 'rgb' or 'gray'.

    Notes
    -----
    The book introduces it in :ref:`images-chapter`.
    """
    check_choice(kind, "kind", ("rgb", "gray"))
    from matplotlib import cbook
    from matplotlib.image import imread

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = imread(f, format="jpg")
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    if kind == "rgb":
        return rgb
    luma = rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    return np.round(luma).astype(np.uint8)


def to_nchw(image, max_value=255):
    """Turn an image stored the usual way into the NCHW float layout of the book.

    Parameters
    ----------
    image : ndarray of int, shape (H, W) or (H, W, C)
        Grayscale or C colour channels; intensities 0..``max_value``, rows top to bottom.
    max_value : int, >= 1
        The brightest representable value (255 for 8-bit images).

    Returns
    -------
    ndarray of float64, shape (1, C, H, W)
        C = 1 for grayscale; values in [0, 1].

    Raises
    ------
    TypeError
        If image does not hold integers or max_value is not an int.
    ValueError
        If image is not 2-D or 3-D, max_value is below 1, or a value lies outside
        0..max_value.

    Notes
    -----
    The book derives this layout in :ref:`images-chapter`.
    """
    arr = np.asarray(image)
    if arr.dtype.kind not in "ui":
        raise TypeError(f"image must hold integer intensities, got dtype {arr.dtype}")
    if arr.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got shape {arr.shape}")
    max_value = as_int(max_value, "max_value", minimum=1)
    if arr.size and (arr.min() < 0 or arr.max() > max_value):
        raise ValueError(
            f"image values must lie in 0..{max_value}, got range {arr.min()}..{arr.max()}"
        )
    if arr.ndim == 2:
        arr = arr[:, :, None]
    # One copy, made in channels-first order: transpose alone would only relabel the axes
    # and leave each pixel's channels side by side in memory.
    return np.ascontiguousarray(arr.transpose(2, 0, 1)[None], dtype=np.float64) / max_value


def load_digits(test_fraction=0.25, seed=0, dtype=np.float64):
    """Load scikit-learn's real 8x8 handwritten digits as NCHW arrays.

    The pixels (integers 0..16 in the original) are scaled to [0, 1]. The split
    is stratified by class and fixed by ``seed``, so every run sees the same
    train and test digits.

    Parameters
    ----------
    test_fraction : float, in (0, 1)
        The share of each class held out for testing.
    seed : int, >= 0
        Seeds the split.
    dtype : data type
        A floating type for the images (float64 or float32).

    Returns
    -------
    DigitsSplit
        ``(x_train, y_train, x_test, y_test)``: x_* of shape (N, 1, 8, 8) and dtype
        ``dtype``; y_* int64 labels 0..9 of shape (N,).

    Raises
    ------
    TypeError
        If test_fraction is not a real number, seed is not an int, or dtype is not a
        floating type.
    ValueError
        If test_fraction is outside (0, 1) or seed is negative.

    Notes
    -----
    The book trains on them in :ref:`net-training`.
    """
    test_fraction = as_real(test_fraction, "test_fraction", 0, 1, low_open=True, high_open=True)
    seed = as_int(seed, "seed", minimum=0)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating type, got {dtype}")
    from sklearn.datasets import load_digits as _sklearn_digits

    bunch = _sklearn_digits()
    images = (bunch.images / 16.0).astype(dtype)[:, None, :, :]
    labels = bunch.target.astype(np.int64)

    rng = np.random.default_rng(seed)
    test_idx = []
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        n_test = int(round(test_fraction * members.size))
        test_idx.append(rng.permutation(members)[:n_test])
    test_idx = np.sort(np.concatenate(test_idx))
    is_test = np.zeros(labels.size, dtype=bool)
    is_test[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    return DigitsSplit(images[train_idx], labels[train_idx], images[test_idx], labels[test_idx])
