"""Core layers: Input, Dense, Activation, Identity, Lambda, and the op layer behind symbolic ops."""
