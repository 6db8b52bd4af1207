"""CSVLogger: the exact file content (against Keras 3 too), appending, and the separator."""

import os

import numpy as np
import pytest

import layerwise as keras
from tests.callbacks.conftest import fit

EPOCH_LOGS = [{"loss": 0.5, "accuracy": 0.25, "val_loss": 0.75, "val_accuracy": 0.125},
              {"loss": 0.375, "accuracy": 0.5, "val_loss": 0.625, "val_accuracy": 0.25}]


def _drive(module, path, logs_per_epoch, **kwargs):
    logger = module.callbacks.CSVLogger(str(path), **kwargs)
    logger.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        logger.on_epoch_end(epoch, dict(logs))
    logger.on_train_end()


def test_content_is_sorted_columns_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    _drive(keras, path, EPOCH_LOGS)
    assert path.read_bytes() == (b"epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                                 b"0,0.25,0.5,0.125,0.75\r\n"
                                 b"1,0.5,0.375,0.25,0.625\r\n")


def test_a_fit_without_validation_gets_na_columns(tmp_path):
    path = tmp_path / "log.csv"
    model, history = fit([keras.callbacks.CSVLogger(path)], epochs=2, validation_data=None)
    rows = path.read_text().splitlines()
    assert rows[0] == "epoch,accuracy,loss,val_accuracy,val_loss"
    for epoch, row in enumerate(rows[1:]):
        epoch_cell, accuracy, loss, val_accuracy, val_loss = row.split(",")
        assert int(epoch_cell) == epoch and (val_accuracy, val_loss) == ("NA", "NA")
        assert float(loss) == history.history["loss"][epoch] and float(accuracy) == history.history["accuracy"][epoch]


def test_append_keeps_the_header_and_adds_rows(tmp_path):
    path = tmp_path / "log.csv"
    _drive(keras, path, EPOCH_LOGS[:1], append=True)  # a new file still gets its header
    _drive(keras, path, EPOCH_LOGS[1:], append=True)
    assert path.read_text().splitlines() == ["epoch,accuracy,loss,val_accuracy,val_loss", "0,0.25,0.5,0.125,0.75",
                                             "0,0.5,0.375,0.25,0.625"]
    _drive(keras, path, EPOCH_LOGS[1:])  # append=False starts over
    assert len(path.read_text().splitlines()) == 2


def test_separator_and_list_values(tmp_path):
    path = tmp_path / "log.tsv"
    _drive(keras, path, [{"loss": 0.5, "val_loss": 1.0, "per_class": [0.5, 0.25]}], separator="\t")
    assert path.read_text().splitlines() == ["epoch\tloss\tper_class\tval_loss", '0\t0.5\t"""[0.5, 0.25]"""\t1.0']


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"separator": ";"}, {"append": True}])
def test_same_bytes_as_keras(tmp_path, keras_oracle, kwargs):
    logs = [{"loss": 0.123456789, "mae": 2.0, "val_loss": np.float32(0.3), "per_class": [1.5, 2.5]},
            {"loss": 0.1, "mae": 1.5, "val_loss": 0.2, "per_class": [0.5, 0.25]}]
    for module, name in ((keras, "ours.csv"), (keras_oracle, "keras.csv")):
        (tmp_path / name).write_text("epoch,old\n0,1\n")
        _drive(module, tmp_path / name, logs, **kwargs)
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "keras.csv").read_bytes()


def test_creates_the_folder_and_refuses_bad_arguments(tmp_path):
    _drive(keras, tmp_path / "new" / "log.csv", EPOCH_LOGS)
    assert os.path.exists(tmp_path / "new" / "log.csv")
    with pytest.raises(ValueError, match="`CSVLogger` argument `separator` must be a single character"):
        keras.callbacks.CSVLogger("log.csv", separator=", ")
    with pytest.raises(ValueError, match="`CSVLogger` argument `filename` must be a path"):
        keras.callbacks.CSVLogger(None)
