"""Pooling layers: ``BasePooling`` holds the logic; max, average and min pooling are siblings."""
