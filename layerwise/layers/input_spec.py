"""``InputSpec``: what a layer accepts (rank, sizes, dtype), and the shape errors it produces.

Errors are raised before any computation, so the user sees which layer, which input, the shape
it expected and the shape it received, instead of PyTorch's context-free
"mat1 and mat2 shapes cannot be multiplied".
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.utils import tree


@export("layerwise.layers.InputSpec", "layerwise.InputSpec")
class InputSpec:
    """Constraints on one input of a layer; ``None`` fields are not checked.

    Args:
        dtype: expected dtype name.
        shape: full expected shape (``None`` entries match any size).
        ndim: exact rank. ``max_ndim`` / ``min_ndim``: rank bounds.
        axes: ``{axis: size}`` for specific axes (negative axes count from the end).
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or fewer.
        name: the input's name; ``optional``: the input may be ``None``.

    Example:
        >>> spec = InputSpec(min_ndim=2, axes={-1: 4})
        >>> spec.expected_shape()
        '(..., 4)'
    """

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None, max_ndim: int | None = None,
                 min_ndim: int | None = None, axes: dict | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None, optional: bool = False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            rank = self.ndim if self.ndim is not None else self.max_ndim
            for axis in self.axes:
                if axis >= rank:
                    raise ValueError(f"InputSpec axis {axis} is out of range for rank {rank}.")

    def expected_shape(self) -> str:
        """A readable picture of the shapes this spec accepts, such as ``(None, 784)``."""
        if self.shape is not None:
            return str(self.shape)
        rank = self.ndim
        if rank is not None:
            dims: list[Any] = [None] * rank
            for axis, size in self.axes.items():
                dims[axis] = size
            return "(" + ", ".join(str(d) for d in dims) + ("," if rank == 1 else "") + ")"
        tail = sorted((a for a in self.axes if a < 0))
        head = sorted((a for a in self.axes if a >= 0))
        parts = [str(self.axes[a]) for a in head] + ["..."] + [str(self.axes[a]) for a in tail]
        return "(" + ", ".join(parts) + ")"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config: dict) -> "InputSpec":
        return cls(**config)

    def __repr__(self) -> str:
        fields = {k: v for k, v in self.get_config().items() if v}
        return "InputSpec(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")"


def _fail(layer: Any, index: int, shape: tuple, spec: InputSpec, problem: str) -> ValueError:
    return ValueError(
        f"Input {index} of layer '{layer.name}' ({type(layer).__name__}) is incompatible with the layer: "
        f"{problem}. Expected shape {spec.expected_shape()}, received shape {shape}. "
        "Check the shape of the data (its number of features), or the input shape the model was built with."
    )


def check_one(spec: InputSpec, x: Any, layer: Any, index: int = 0) -> None:
    """Raise a :class:`ValueError` that names ``layer`` if ``x`` does not satisfy ``spec``."""
    if x is None:
        if spec.optional:
            return
        raise ValueError(f"Input {index} of layer '{layer.name}' ({type(layer).__name__}) is None; a tensor is required.")
    shape = tuple(x.shape)
    rank = len(shape)
    if spec.ndim is not None and rank != spec.ndim and not (
        spec.allow_last_axis_squeeze and abs(rank - spec.ndim) == 1
    ):
        raise _fail(layer, index, shape, spec, f"expected rank {spec.ndim}, found rank {rank}")
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise _fail(layer, index, shape, spec, f"expected rank >= {spec.min_ndim}, found rank {rank}")
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise _fail(layer, index, shape, spec, f"expected rank <= {spec.max_ndim}, found rank {rank}")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        if axis >= rank or axis < -rank:
            raise _fail(layer, index, shape, spec, f"axis {axis} does not exist in a rank-{rank} input")
        got = shape[axis]
        if got is not None and got != size:
            raise _fail(layer, index, shape, spec, f"axis {axis} must have size {size}, received {got}")
    if spec.shape is not None and rank == len(spec.shape):
        for axis, (want, got) in enumerate(zip(spec.shape, shape)):
            if want is not None and got is not None and want != got:
                raise _fail(layer, index, shape, spec, f"axis {axis} must have size {want}, received {got}")


def assert_input_compatibility(input_spec: Any, inputs: Any, layer: Any) -> None:
    """Check every input against its spec (a single spec or one per input)."""
    if input_spec is None:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    flat = tree.flatten(inputs)
    if len(specs) > 1 and len(flat) != len(specs):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects {len(specs)} input(s), "
            f"but it received {len(flat)} input tensor(s)."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is not None:
            check_one(spec, x, layer, index)
