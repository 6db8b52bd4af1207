"""Constructor arguments for the normalization layers in tests/test_common.py: none are needed,
BatchNormalization, LayerNormalization, GroupNormalization and UnitNormalization all have defaults."""

REQUIRED_ARGS: dict = {}
