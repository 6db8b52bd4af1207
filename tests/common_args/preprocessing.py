"""Constructor arguments for the preprocessing layers in tests/test_common.py."""

REQUIRED_ARGS = {
    "Rescaling": {"scale": 0.5},
    "Resizing": {"height": 2, "width": 3},
    "CenterCrop": {"height": 2, "width": 3},
}
REQUIRED_ARGS.update({
    "CategoryEncoding": {"num_tokens": 3},
    "Discretization": {"bin_boundaries": [0.0, 1.0]},
})
