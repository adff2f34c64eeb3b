"""Training helpers: the confusion matrix by hand, fit's bookkeeping, bad arguments."""

import numpy as np
import pytest

import cnnmath
from cnnmath import nn, training


def test_confusion_matrix_by_hand():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predictions = np.array([0, 1, 1, 2, 0, 2])
    expected = np.array([[1, 1, 0],
                         [0, 1, 0],
                         [1, 0, 2]])
    np.testing.assert_array_equal(training.confusion_matrix(labels, predictions, 3), expected)


@pytest.mark.parametrize(
    "labels, predictions, words",
    [
        (np.array([0, 1]), np.array([0]), "same length"),
        (np.array([0, 3]), np.array([0, 1]), "labels must be integers in 0..2"),
        (np.array([0, 1]), np.array([0.0, 1.0]), "predictions must be integers"),
    ],
)
def test_confusion_matrix_bad_input(labels, predictions, words):
    with pytest.raises(ValueError, match=words):
        training.confusion_matrix(labels, predictions, 3)


def test_fit_records_one_entry_per_epoch_and_decays_the_learning_rate():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 1, 2, 2))
    y = (x[:, 0, 0, 0] > 0).astype(np.int64)
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=rng))
    opt = nn.SGD(model.parameters(), lr=0.2, momentum=0.0)
    lines = []
    history = training.fit(model, cnnmath.cross_entropy, cnnmath.cross_entropy_backward, opt,
                           (x[:30], y[:30], x[30:], y[30:]), epochs=3, batch_size=10, rng=rng,
                           lr_decay=0.5, log=lines.append)
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert len(history[key]) == 3
    assert opt.lr == pytest.approx(0.2 * 0.5**3)
    assert len(lines) == 3 and lines[0].startswith("epoch  1:")
    # the recorded test loss is the loss of the final model on the test split
    final_test_loss = cnnmath.cross_entropy(model.forward(x[30:]), y[30:])
    assert history["test_loss"][-1] == pytest.approx(final_test_loss)


def test_check_model_gradients_requires_a_sequential():
    with pytest.raises(TypeError, match="model must be a cnnmath.nn.Sequential"):
        training.check_model_gradients(nn.ReLU(), cnnmath.mse, cnnmath.mse_backward,
                                       np.zeros(2), np.zeros(2))
