"""One shape of error message for bad arguments, used by every layer, loss and optimizer.

Messages read: "`Dense` argument `units` must be a positive integer; received units=0."
"""

from __future__ import annotations

import difflib
import numbers
from typing import Any, Iterable


def _fail(owner: str, arg: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")


def positive_int(owner: str, arg: str, value: Any) -> int:
    """Check ``value`` is an integer > 0 and return it as ``int``.

    Example:
        >>> positive_int("Dense", "units", 0)
        Traceback (most recent call last):
        ...
        ValueError: `Dense` argument `units` must be a positive integer; received units=0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        # Accept floats with an integral value (3.0), which Keras also accepts.
        if isinstance(value, float) and value.is_integer() and value > 0:
            return int(value)
        raise _fail(owner, arg, "a positive integer", value)
    return int(value)


def non_negative_int(owner: str, arg: str, value: Any) -> int:
    """Check ``value`` is an integer >= 0 and return it as ``int``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise _fail(owner, arg, "a non-negative integer", value)
    return int(value)


def number_in_range(
    owner: str,
    arg: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Check ``value`` is a real number inside the given interval and return it as ``float``.

    Example:
        >>> number_in_range("Dropout", "rate", 1.5, 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: `Dropout` argument `rate` must be a number in [0, 1]; received rate=1.5.
    """
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive else ")"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    expected = f"a number in {left}{lo}, {hi}{right}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise _fail(owner, arg, expected, value)
    if low is not None and (value < low or (value == low and not low_inclusive)):
        raise _fail(owner, arg, expected, value)
    if high is not None and (value > high or (value == high and not high_inclusive)):
        raise _fail(owner, arg, expected, value)
    return float(value)


def one_of(owner: str, arg: str, value: Any, allowed: Iterable[Any], normalize=None) -> Any:
    """Check ``value`` (after ``normalize``) is in ``allowed`` and return it.

    Example:
        >>> one_of("Conv2D", "padding", "smae", ("valid", "same"), str.lower)
        Traceback (most recent call last):
        ...
        ValueError: `Conv2D` argument `padding` must be one of 'valid', 'same' (did you mean 'same'?); received padding='smae'.
    """
    allowed = tuple(allowed)
    candidate = value
    if normalize is not None and isinstance(value, str):
        candidate = normalize(value)
    if candidate in allowed:
        return candidate
    choices = ", ".join(repr(a) for a in allowed)
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(str(candidate), [str(a) for a in allowed], n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
    raise _fail(owner, arg, f"one of {choices}{hint}", value)


def unknown_identifier(kind: str, name: str, known: Iterable[str]) -> ValueError:
    """The error for a string identifier nobody knows, listing the closest valid names.

    Example:
        >>> raise unknown_identifier("optimizer", "adma", ["adam", "sgd", "adamw"])
        Traceback (most recent call last):
        ...
        ValueError: Unknown optimizer: 'adma'. Did you mean: 'adam', 'adamw'? ...
    """
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    suggestion = f" Did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    return ValueError(
        f"Unknown {kind}: {name!r}.{suggestion} Valid names are: {', '.join(known)}. "
        "A custom object can be passed directly, or registered with "
        "`layerwise.saving.register_keras_serializable`."
    )


def standardize_tuple(owner: str, arg: str, value: Any, n: int, allow_zero: bool = False) -> tuple[int, ...]:
    """Turn an int or an iterable of ``n`` ints into a tuple of ``n`` ints (strides, pool sizes).

    Example:
        >>> standardize_tuple("Conv2D", "strides", 2, 2)
        (2, 2)
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * n
    else:
        try:
            values = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            raise _fail(owner, arg, f"an integer or a tuple of {n} integers", value) from None
        if len(values) != n:
            raise _fail(owner, arg, f"an integer or a tuple of {n} integers", value)
    smallest = 0 if allow_zero else 1
    if any(v < smallest for v in values):
        bound = "non-negative" if allow_zero else "positive"
        raise _fail(owner, arg, f"{bound} integers", value)
    return values
