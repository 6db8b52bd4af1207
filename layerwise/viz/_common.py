"""What every plot shares: the optional matplotlib import and saving the figure it returns."""

from __future__ import annotations

import os
from typing import Any

_INSTALL_HINT = 'pip install matplotlib (or pip install "layerwise[viz]")'


def require_pyplot(owner: str) -> Any:
    """``matplotlib.pyplot``, or an ImportError that names ``owner`` and says how to install it.

    The import happens here, on the first plot, so ``import layerwise`` never loads matplotlib.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(f"`{owner}` needs matplotlib, which is not installed; {_INSTALL_HINT}.") from error
    return plt


def finish(figure: Any, path: str | os.PathLike | None, owner: str) -> Any:
    """Save ``figure`` to ``path`` when one is given (format from the extension); return it."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"`{owner}` argument `path` must be a file path (str or os.PathLike) or None; "
                            f"received path={path!r}.")
        figure.savefig(os.fspath(path), bbox_inches="tight")
    return figure


def to_numpy(value: Any) -> Any:
    """A NumPy array from a list, an array, or a torch tensor on any device."""
    import numpy as np

    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)
