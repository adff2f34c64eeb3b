"""The network chapter's claim, tested: the digits network, trained as the chapter trains
it (same seed, data, optimiser and schedule), reaches at least 97% test accuracy."""

import numpy as np

import cnnmath
from cnnmath import nn, training
from cnnmath.models import digits_network


def test_digits_network_reaches_97_percent():
    digits = cnnmath.load_digits()
    mean, std = digits.x_train.mean(), digits.x_train.std()
    data = ((digits.x_train - mean) / std, digits.y_train,
            (digits.x_test - mean) / std, digits.y_test)
    rng = np.random.default_rng(0)
    model = digits_network(channels=16, hidden=128, rng=rng)
    optimizer = nn.SGD(model.parameters(), lr=0.01, momentum=0.9)
    history = training.fit(model, cnnmath.cross_entropy, cnnmath.cross_entropy_backward, optimizer,
                           data, epochs=25, batch_size=16, rng=rng, lr_decay=0.9, log=None)
    assert history["test_accuracy"][-1] >= 0.97
    # the final accuracy is computed on the untouched test split
    scores = training.predict(model, data[2])
    assert np.mean(scores.argmax(axis=1) == digits.y_test) == history["test_accuracy"][-1]
