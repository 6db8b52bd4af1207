"""Layers that regularise by noise: Dropout (and, later, its spatial and Gaussian relatives)."""
