"""Placeholder: replaced by the full Keras-backend module."""
