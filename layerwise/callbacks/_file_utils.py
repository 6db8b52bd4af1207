"""Helpers the saving callbacks share: atomic file replacement and counting batches to ``save_freq``."""

from __future__ import annotations

import contextlib
import numbers
import os
import tempfile
from typing import Any, Callable


def atomic_save(filepath: str, write: Callable[[str], None]) -> None:
    """Call ``write(temporary)`` then move the temporary file onto ``filepath`` with ``os.replace``.

    The temporary file lies in the same directory (so the rename is atomic) and ends with the same
    name (so ``.keras``/``.weights.h5`` checks still pass). If ``write`` fails, or the process dies,
    ``filepath`` keeps its previous content; a failed write removes its temporary file.

    Example:
        >>> import os, pathlib, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
        >>> atomic_save(path, lambda tmp: pathlib.Path(tmp).write_text("done"))
        >>> pathlib.Path(path).read_text(), os.listdir(os.path.dirname(path))
        ('done', ['a.txt'])
    """
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix="-" + os.path.basename(filepath), dir=directory)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def check_save_freq(owner: str, value: Any) -> Any:
    """``"epoch"`` or a positive number of batches, as ``save_freq`` accepts."""
    if value == "epoch":
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0:
        return int(value)
    raise ValueError(f"`{owner}` argument `save_freq` must be 'epoch' or a positive integer (a number of "
                     f"batches); received save_freq={value!r}.")
