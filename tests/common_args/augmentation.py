"""Constructor arguments for the data augmentation layers in tests/test_common.py."""

REQUIRED_ARGS = {
    "RandomRotation": {"factor": 0.1},
    "RandomTranslation": {"height_factor": 0.1, "width_factor": 0.2},
    "RandomZoom": {"height_factor": 0.1},
    "RandomContrast": {"factor": 0.2},
    "RandomBrightness": {"factor": 0.2},
    "RandomCrop": {"height": 2, "width": 3},
}
