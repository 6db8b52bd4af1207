import pytest

import layerwise as keras
from layerwise import cli


def test_quickstart_trains_reports_and_saves(tmp_path, capsys):
    output = tmp_path / "quick.keras"
    assert cli.main(["quickstart", "--epochs", "12", "--output", str(output), "--verbose", "2"]) == 0
    text = capsys.readouterr().out
    assert "Epoch 12/12" in text and "Confusion matrix" in text and "Total params: 6,090" in text
    accuracy = float(text.split("Test accuracy: ")[1].split()[0])
    assert accuracy > 0.8
    model = keras.models.load_model(str(output))
    assert model.output_shape == (None, 10)


def test_quickstart_on_an_mnist_file(tmp_path, capsys, monkeypatch):
    import numpy as np

    rng = np.random.RandomState(0)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=rng.randint(0, 255, (64, 28, 28)).astype("uint8"),
             y_train=rng.randint(0, 10, 64).astype("uint8"),
             x_test=rng.randint(0, 255, (16, 28, 28)).astype("uint8"), y_test=rng.randint(0, 10, 16).astype("uint8"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["quickstart", "--data", "mnist.npz", "--epochs", "1", "--verbose", "0"]) == 0
    assert "MNIST (mnist.npz), 64 training and 16 test images" in capsys.readouterr().out.replace("\n", " ")


def test_unknown_command():
    with pytest.raises(SystemExit):
        cli.main(["nothing"])
