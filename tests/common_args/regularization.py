"""Constructor arguments for the regularization layers in tests/test_common.py."""

REQUIRED_ARGS = {
    "Dropout": {"rate": 0.5},
    "SpatialDropout1D": {"rate": 0.5},
    "SpatialDropout2D": {"rate": 0.5},
    "SpatialDropout3D": {"rate": 0.5},
    "GaussianNoise": {"stddev": 0.1},
    "GaussianDropout": {"rate": 0.5},
    "AlphaDropout": {"rate": 0.5},
}
