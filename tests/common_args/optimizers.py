"""Constructor arguments for optimizers in tests/test_common.py."""

import layerwise as keras

REQUIRED_ARGS = {
    "LossScaleOptimizer": {"inner_optimizer": keras.optimizers.SGD()},
}
