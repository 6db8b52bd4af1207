"""A task that needs order: does token 7 come before token 3? Every sequence holds exactly one 7 and
one 3 at random positions among filler tokens, so the classes are balanced and no bag-of-tokens
model can beat chance. Sequences have random lengths and are right-padded with 0
(``Embedding(mask_zero=True)``), so the masks take part in training too. Each of Embedding + LSTM,
GRU, Bidirectional(LSTM) and JordanRNN must reach 95 % test accuracy (the times are printed, not
asserted: speed is shown by benchmarks, never by timed tests; they take a few seconds on 2 cores)."""

import time

import numpy as np
import pytest
import torch

import layerwise as keras

VOCAB, LENGTH = 10, 12


def make_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = np.zeros((n, LENGTH), dtype="int64")
    y = np.zeros(n, dtype="float32")
    fillers = np.array([t for t in range(1, VOCAB) if t not in (3, 7)])
    for i in range(n):
        length = int(rng.integers(4, LENGTH + 1))
        x[i, :length] = rng.choice(fillers, size=length)
        first, second = rng.choice(length, size=2, replace=False)
        x[i, first], x[i, second] = 7, 3
        y[i] = float(first < second)
    return x, y


RECURRENT = {
    "LSTM": lambda: keras.layers.LSTM(32),
    "GRU": lambda: keras.layers.GRU(32),
    "Bidirectional(LSTM)": lambda: keras.layers.Bidirectional(keras.layers.LSTM(16)),
    "JordanRNN": lambda: keras.layers.JordanRNN(32, output_units=16),
}


@pytest.mark.slow
def test_recurrent_layers_learn_the_order_of_two_tokens():
    rng = np.random.default_rng(0)
    x_train, y_train = make_data(2000, rng)
    x_test, y_test = make_data(500, rng)
    assert 0.45 < y_train.mean() < 0.55
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: threads only add overhead (and stall on a busy machine)
    results = {}
    try:
        for name, make_layer in RECURRENT.items():
            keras.utils.set_random_seed(0)
            start = time.perf_counter()
            model = keras.Sequential([keras.Input((LENGTH,), dtype="int64"),
                                      keras.layers.Embedding(VOCAB, 16, mask_zero=True), make_layer(),
                                      keras.layers.Dense(1, activation="sigmoid")])
            model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x_train, y_train, epochs=5, batch_size=64, verbose=0)
            probabilities = model.predict(x_test, verbose=0).ravel()
            accuracy = float(((probabilities > 0.5) == (y_test > 0.5)).mean())
            results[name] = (accuracy, time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)
    print("\n" + "\n".join(f"{name}: test accuracy {acc:.3f} in {sec:.1f} s" for name, (acc, sec) in results.items()))
    for name, (accuracy, _) in results.items():
        assert accuracy >= 0.95, f"{name} reached only {accuracy:.3f} test accuracy"
