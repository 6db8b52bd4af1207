"""Layers that change shapes without weights: Flatten, Reshape, Permute, RepeatVector."""
