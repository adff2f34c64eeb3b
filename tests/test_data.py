"""The real data the book uses: shapes, ranges, determinism and the split."""

import numpy as np
import pytest

import cnnmath
from cnnmath.data import load_digits, sample_image, to_nchw


def test_sample_image_is_the_rgb_photograph():
    photo = sample_image()
    assert photo.shape == (600, 512, 3)
    assert photo.dtype == np.uint8
    # a real photograph uses (nearly) the whole range of each channel
    assert photo.min() <= 5 and photo.max() >= 250
    # not a constant or gray image: the channels differ
    assert np.abs(photo[..., 0].astype(int) - photo[..., 2].astype(int)).mean() > 5


def test_gray_is_bt601_luma_of_the_rgb_image():
    rgb = sample_image("rgb").astype(np.float64)
    gray = sample_image("gray")
    assert gray.shape == (600, 512) and gray.dtype == np.uint8
    i, j = 123, 456
    r, g, b = rgb[i, j]
    assert gray[i, j] == round(0.299 * r + 0.587 * g + 0.114 * b)


def test_sample_image_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        sample_image("cmyk")


def test_to_nchw_moves_channels_first_and_scales():
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)  # (H, W, C)
    x = to_nchw(image)
    assert x.shape == (1, 3, 2, 3) and x.dtype == np.float64
    for c in range(3):
        for i in range(2):
            for j in range(3):
                assert x[0, c, i, j] == image[i, j, c] / 255


def test_to_nchw_gray_and_other_max_values():
    image = np.array([[0, 16], [8, 4]], dtype=np.uint8)
    x = to_nchw(image, max_value=16)
    np.testing.assert_array_equal(x, [[[[0.0, 1.0], [0.5, 0.25]]]])


@pytest.mark.parametrize(
    "image, error, words",
    [
        (np.zeros((2, 2), dtype=np.float64), TypeError, "integer"),
        (np.zeros((1, 2, 2, 3), dtype=np.uint8), ValueError, "shape"),
        (np.array([[300]], dtype=np.int64), ValueError, "0..255"),
    ],
)
def test_to_nchw_bad_input(image, error, words):
    with pytest.raises(error, match=words):
        to_nchw(image)


def test_load_digits_split_shapes_and_ranges():
    split = load_digits()
    n_total = split.x_train.shape[0] + split.x_test.shape[0]
    assert n_total == 1797  # scikit-learn ships 1,797 digits
    assert split.x_train.shape[1:] == (1, 8, 8) and split.x_test.shape[1:] == (1, 8, 8)
    assert split.x_train.dtype == np.float64
    assert split.x_train.min() == 0.0 and split.x_train.max() == 1.0
    assert set(np.unique(split.y_train)) == set(range(10))
    # about a quarter of every class is held out
    for digit in range(10):
        n_test = np.sum(split.y_test == digit)
        n_all = n_test + np.sum(split.y_train == digit)
        assert abs(n_test - 0.25 * n_all) <= 1


def test_load_digits_is_a_partition_of_the_real_data():
    from sklearn.datasets import load_digits as sklearn_digits

    original = sklearn_digits().images / 16.0
    split = load_digits()
    ours = np.concatenate([split.x_train[:, 0], split.x_test[:, 0]])
    # every original digit appears exactly once: compare the rows in sorted order
    np.testing.assert_array_equal(_sorted_rows(ours), _sorted_rows(original))


def _sorted_rows(images):
    flat = images.reshape(len(images), -1)
    return flat[np.lexsort(flat.T[::-1])]


def test_load_digits_is_deterministic_and_seeded():
    a, b = load_digits(), load_digits()
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    c = load_digits(seed=1)
    assert not np.array_equal(a.y_train, c.y_train)


def test_load_digits_float32_and_bad_arguments():
    assert load_digits(dtype=np.float32).x_train.dtype == np.float32
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.5)
    with pytest.raises(TypeError, match="dtype"):
        load_digits(dtype=np.int32)
    with pytest.raises(ValueError, match="seed"):
        load_digits(seed=-1)


def test_top_level_exports():
    assert cnnmath.sample_image is sample_image
    assert cnnmath.load_digits is load_digits
    assert cnnmath.to_nchw is to_nchw
