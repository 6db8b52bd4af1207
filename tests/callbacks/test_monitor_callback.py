"""MonitorCallback: the direction of a monitored quantity and what counts as an improvement."""

import pytest

import layerwise as keras
from layerwise.callbacks.monitor_callback import metric_direction
from tests.callbacks.conftest import linear_model, regression_data


@pytest.mark.parametrize("name,expected", [
    ("loss", "min"), ("val_loss", "min"), ("dense_loss", "min"), ("val_accuracy", "max"), ("acc", "max"),
    ("val_auc", "max"), ("precision", "max"), ("val_recall", "max"), ("mean_iou", "max"), ("mae", "min"),
    ("val_mean_squared_error", "min"), ("custom", None), ("accuracy_error", None),
])
def test_direction_from_the_name(name, expected):
    assert metric_direction(None, name) == expected


def test_direction_from_the_compiled_metric_wins():
    model = linear_model(metrics=["mae"])
    model.fit(*regression_data(), epochs=1, verbose=0)  # builds the compiled metrics
    metric = next(m for m in model._compile_metrics.metrics if m.name == "mae")
    assert metric_direction(model, "val_mae") == "min"
    metric._direction = "up"  # the metric object is asked first
    assert metric_direction(model, "val_mae") == "max"


def test_improvement_rules_with_min_delta():
    low = keras.callbacks.MonitorCallback(monitor="val_loss", mode="min", min_delta=0.1)
    assert low._is_improvement(1.0, None)  # anything beats nothing
    assert not low._is_improvement(0.95, 1.0) and not low._is_improvement(0.9, 1.0)
    assert low._is_improvement(0.89, 1.0)
    high = keras.callbacks.MonitorCallback(monitor="acc", mode="max", min_delta=-0.1)  # the sign is ignored
    assert high.min_delta == 0.1 and high._is_improvement(0.61, 0.5) and not high._is_improvement(0.6, 0.5)


def test_mode_auto_without_a_direction_is_an_error_that_names_the_callback():
    watch = keras.callbacks.MonitorCallback(monitor="custom")
    with pytest.raises(ValueError, match="MonitorCallback cannot tell whether monitor='custom' should go up"):
        watch._is_improvement(1.0, 2.0)
    with pytest.raises(ValueError, match="`MonitorCallback` argument `mode` must be one of 'auto', 'min', 'max'"):
        keras.callbacks.MonitorCallback(mode="minimum")

