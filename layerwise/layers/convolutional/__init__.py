"""Convolution layers: ``BaseConv`` holds the logic, each ``ConvND`` fixes the rank."""
