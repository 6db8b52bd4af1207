"""Layers that combine several inputs: Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot, and their functional shortcuts (``add([a, b])``...)."""
