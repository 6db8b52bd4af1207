"""``layerwise.viz``: figures for teaching and debugging (training curves, confusion matrices,
decision boundaries, activation functions, image grids, model graphs).

Every matplotlib plot returns its ``Figure`` and saves it when given ``path=`` (the format comes
from the extension); ``plot_model`` writes its image with Graphviz. matplotlib and graphviz are
optional dependencies (``pip install "layerwise[viz]"``), imported on the first plot, so
``import layerwise`` never loads them. Each function is also exported as ``layerwise.utils.<name>``.
"""

from layerwise.viz.activations import plot_activations
from layerwise.viz.confusion import plot_confusion_matrix
from layerwise.viz.decision_boundary import plot_decision_boundary
from layerwise.viz.history import plot_history
from layerwise.viz.images import plot_images
from layerwise.viz.model_plot import model_to_dot, plot_model

__all__ = ["model_to_dot", "plot_activations", "plot_confusion_matrix", "plot_decision_boundary", "plot_history",
           "plot_images", "plot_model"]
