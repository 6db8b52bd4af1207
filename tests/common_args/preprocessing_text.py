"""Constructor arguments for the text and lookup preprocessing layers in tests/test_common.py."""

REQUIRED_ARGS = {
    "Hashing": {"num_bins": 3},
    "StringLookup": {"vocabulary": ["a", "b"]},
    "IntegerLookup": {"vocabulary": [3, 7]},
    "TextVectorization": {"vocabulary": ["the", "cat"], "output_sequence_length": 4},
}
