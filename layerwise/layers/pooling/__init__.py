"""Pooling layers: ``BasePooling`` (windows) and ``BaseGlobalPooling`` (whole axes) hold the logic;
max, average and min pooling in 1-D, 2-D and 3-D are thin subclasses. ``Min*`` layers are not in
Keras (the "min pooling" of the course notes). Keras's short names (``MaxPool2D``,
``GlobalAvgPool1D``...) are the same classes.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.pooling.average_pooling1d import AveragePooling1D
from layerwise.layers.pooling.average_pooling2d import AveragePooling2D
from layerwise.layers.pooling.average_pooling3d import AveragePooling3D
from layerwise.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from layerwise.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from layerwise.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from layerwise.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from layerwise.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from layerwise.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from layerwise.layers.pooling.global_min_pooling1d import GlobalMinPooling1D
from layerwise.layers.pooling.global_min_pooling2d import GlobalMinPooling2D
from layerwise.layers.pooling.global_min_pooling3d import GlobalMinPooling3D
from layerwise.layers.pooling.max_pooling1d import MaxPooling1D
from layerwise.layers.pooling.max_pooling2d import MaxPooling2D
from layerwise.layers.pooling.max_pooling3d import MaxPooling3D
from layerwise.layers.pooling.min_pooling1d import MinPooling1D
from layerwise.layers.pooling.min_pooling2d import MinPooling2D
from layerwise.layers.pooling.min_pooling3d import MinPooling3D

# Keras's short names: the same classes.
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
MinPool1D, MinPool2D, MinPool3D = MinPooling1D, MinPooling2D, MinPooling3D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
GlobalMinPool1D, GlobalMinPool2D, GlobalMinPool3D = GlobalMinPooling1D, GlobalMinPooling2D, GlobalMinPooling3D

__all__ = [
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
    "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "GlobalMinPool1D", "GlobalMinPool2D", "GlobalMinPool3D",
    "GlobalMinPooling1D", "GlobalMinPooling2D", "GlobalMinPooling3D",
    "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "MinPool1D", "MinPool2D", "MinPool3D", "MinPooling1D", "MinPooling2D", "MinPooling3D",
]
