"""Training and checking a ``cnnmath.nn.Sequential`` model.

Minibatch training with shuffling, prediction in batches, accuracy and the
confusion matrix, and a gradient check of a whole network against central
differences of its forward pass.
"""

import time

import numpy as np

from ._validation import as_array, as_int, as_real
from .gradcheck import check_gradient
from .nn import Sequential

__all__ = ["train_epoch", "predict", "check_model_gradients", "accuracy", "fit",
           "confusion_matrix"]


def train_epoch(model, loss, loss_backward, optimizer, x, y, batch_size, rng):
    """One pass over (x, y) in shuffled minibatches; returns the mean training loss.

    Parameters
    ----------
    model : Sequential
    loss, loss_backward : callable
        A loss of ``cnnmath.losses`` and its backward (reduction 'mean'), called as
        ``loss(output, y_batch)``.
    optimizer : SGD
        Steps once per minibatch.
    x : ndarray, shape (N, ...)
    y : ndarray, shape (N, ...)
        The targets, row for row.
    batch_size : int, >= 1
    rng : numpy Generator
        Shuffles the examples.

    Returns
    -------
    float
        The loss averaged over the epoch's examples.

    Raises
    ------
    TypeError
        If batch_size is not an int.
    ValueError
        If batch_size is below 1.

    Notes
    -----
    The book derives training in :ref:`net-training`.
    """
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        output = model.forward(x[batch])
        total += float(loss(output, y[batch])) * len(batch)
        model.backward(loss_backward(output, y[batch]), input_grad=False)
        optimizer.step()
    return total / len(x)


def predict(model, x, batch_size=256):
    """The model's outputs on x, computed in batches (no gradients kept).

    Parameters
    ----------
    model : Sequential
    x : ndarray, shape (N, ...)
    batch_size : int, >= 1

    Returns
    -------
    ndarray, shape (N, ...)
        The outputs, row for row.

    Raises
    ------
    TypeError
        If batch_size is not an int.
    ValueError
        If batch_size is below 1.

    Notes
    -----
    The book uses it in :ref:`net-training`.
    """
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    return np.concatenate([model.forward(x[i:i + batch_size])
                           for i in range(0, len(x), batch_size)])


def check_model_gradients(model, loss, loss_backward, x, y, eps=1e-6, tol=1e-6):
    """Check a model's backward pass against central differences of its forward pass.

    Runs one forward and backward through ``model``, then, for the input and for every
    parameter tensor in turn, compares the gradient the backward pass stored with the
    numerical gradient of the scalar ``loss(model.forward(x), y)``. Parameters are
    restored afterwards.

    Parameters
    ----------
    model : Sequential
    loss, loss_backward : callable
        A loss and its backward, called as ``loss(output, y)``.
    x : ndarray
        The input batch.
    y : ndarray
        The targets.
    eps : float
        The step of the central differences.
    tol : float
        The largest relative error accepted.

    Returns
    -------
    list of (str, GradientCheck)
        ``'input'`` first, then the parameters named as in ``Sequential.named_parameters``.

    Raises
    ------
    TypeError
        If model is not a ``Sequential``.
    AssertionError
        Naming the worst entry, when any relative error exceeds ``tol``.

    Notes
    -----
    The book runs it in :ref:`net-gradcheck`.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a cnnmath.nn.Sequential, got {type(model).__name__}")
    dx = model.backward(loss_backward(model.forward(x), y))
    stored = [(name, p, p.grad) for name, p in model.named_parameters()]
    results = [("input", check_gradient(lambda v: loss(model.forward(v), y), x, dx, eps, tol))]
    for name, p, grad in stored:
        original = p.data

        def loss_at(values, p=p):
            p.data = values
            return loss(model.forward(x), y)

        try:
            results.append((name, check_gradient(loss_at, original, grad, eps, tol)))
        finally:
            p.data = original
    return results


def accuracy(scores, labels):
    """Fraction of rows whose largest score is at the true class.

    Parameters
    ----------
    scores : ndarray, shape (N, C)
    labels : ndarray of int, shape (N,)

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If scores is not an array of real numbers.
    ValueError
        If scores is not 2-D or labels does not have shape (N,).

    Notes
    -----
    The book uses it in :ref:`net-training`.
    """
    scores = as_array(scores, "scores", ndim=2)
    labels = np.asarray(labels)
    if labels.shape != (scores.shape[0],):
        raise ValueError(f"labels must have shape ({scores.shape[0]},), got {labels.shape}")
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def fit(model, loss, loss_backward, optimizer, data, epochs, batch_size, rng, lr_decay=1.0,
        log=print):
    """Train for ``epochs`` epochs and record the learning curves.

    After epoch ``e`` (counting from 0) the learning rate is ``lr_0 * lr_decay ** (e + 1)``.
    The model trains in training mode and is measured, and left, in evaluation mode
    (batch normalisation and dropout behave differently in the two).

    Parameters
    ----------
    model : Sequential
    loss, loss_backward, optimizer, batch_size, rng
        As in ``train_epoch``.
    data : tuple of ndarray
        ``(x_train, y_train, x_test, y_test)``, such as a ``DigitsSplit``.
    epochs : int, >= 1
    lr_decay : float, > 0
    log : callable or None
        Receives one line per epoch; None for silence.

    Returns
    -------
    dict
        Lists with one entry per epoch: ``train_loss``, ``test_loss``,
        ``train_accuracy``, ``test_accuracy``; and the float ``seconds`` spent.

    Raises
    ------
    TypeError
        If epochs or batch_size is not an int, or lr_decay is not a real number.
    ValueError
        If epochs or batch_size is below 1, or lr_decay is not positive.

    Notes
    -----
    The book trains with it in :ref:`net-training`.
    """
    x_train, y_train, x_test, y_test = data
    epochs = as_int(epochs, "epochs", minimum=1)
    lr_decay = as_real(lr_decay, "lr_decay", low=0, low_open=True)
    history = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
    start, lr_0 = time.perf_counter(), optimizer.lr
    for epoch in range(epochs):
        model.train()            # batch statistics and dropout while training ...
        train_epoch(model, loss, loss_backward, optimizer, x_train, y_train, batch_size, rng)
        model.eval()             # ... running statistics and no dropout when measuring
        optimizer.lr = lr_0 * lr_decay ** (epoch + 1)
        for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
            scores = predict(model, x)
            history[f"{split}_loss"].append(float(loss(scores, y)))
            history[f"{split}_accuracy"].append(accuracy(scores, y))
        if log is not None:
            log(f"epoch {epoch + 1:2d}: train loss {history['train_loss'][-1]:.4f}, "
                f"test loss {history['test_loss'][-1]:.4f}, "
                f"test accuracy {history['test_accuracy'][-1]:.2%}")
    history["seconds"] = time.perf_counter() - start
    return history


def confusion_matrix(labels, predictions, n_classes):
    """Counts ``m[i, j]`` of examples of true class i predicted as class j.

    Parameters
    ----------
    labels, predictions : ndarray of int, shape (N,)
        Classes in 0..n_classes - 1.
    n_classes : int, >= 1

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)

    Raises
    ------
    TypeError
        If n_classes is not an int.
    ValueError
        If n_classes is below 1, labels and predictions are not 1-D of one length, or
        an entry is not an integer class in range.

    Notes
    -----
    The book uses it in :ref:`net-training`.
    """
    n_classes = as_int(n_classes, "n_classes", minimum=1)
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions must be 1-D of the same length, "
                         f"got shapes {labels.shape} and {predictions.shape}")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and (values.dtype.kind not in "iu"
                            or values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"{name} must be integers in 0..{n_classes - 1}, got {values.dtype} "
                             f"values in {values.min()}..{values.max()}")
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix
