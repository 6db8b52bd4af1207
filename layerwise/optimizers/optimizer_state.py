"""The optimizer's own state: slot variables created, listed in Keras 3's order, saved and restored.

``Optimizer.variables`` lists, as Keras does: the step count, the learning rate (when it is a
float), then every state tensor in creation order. ``build`` creates the moving averages of the
weights (``use_ema``) first, then the gradient accumulators, then the optimizer's own slots, which
:meth:`OptimizerState.add_optimizer_variables` interleaves per weight (``momentum`` and
``velocity`` of weight 0, then of weight 1...). The update formulas never walk this list: each
optimizer keeps one Python list per kind of slot for its ``_foreach`` calls.
"""

from __future__ import annotations

from typing import Any, Sequence

import torch

from layerwise.variables import Variable


class OptimizerState:
    """Mixin of :class:`~layerwise.optimizers.Optimizer` that owns its state tensors.

    Expects ``_iterations``, ``_learning_rate``, ``_variables``, ``_slot_names`` and ``_index``
    (weight id -> position in the list the optimizer was built with) on the instance.

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.zeros(2), name="w")
        >>> opt = keras.optimizers.Adam(); opt.build([w])
        >>> opt.state_names()
        ['iterations', 'learning_rate', 'momentum/0', 'velocity/0']
    """

    _iterations: Variable
    _learning_rate: Any
    _variables: list
    _slot_names: list
    _index: dict

    def _new_slot_name(self, name: str) -> str:
        if name not in self._slot_names:
            return name
        count = 1
        while f"{name}_{count}" in self._slot_names:
            count += 1
        return f"{name}_{count}"

    def _track(self, variable: Variable, slot_name: str) -> Variable:
        self._variables.append(variable)
        self._slot_names.append(self._new_slot_name(slot_name))
        return variable

    def add_variable(self, shape: Any, initializer: Any = "zeros", dtype: Any = None, name: str | None = None,
                     device: Any = None) -> Variable:
        """A new state tensor owned by the optimizer (listed in :attr:`variables` and saved with it)."""
        from layerwise import initializers

        value = initializers.get(initializer)(tuple(shape), dtype=dtype)
        variable = Variable(value.to(device or self._iterations.device), trainable=False, name=name or "variable")
        return self._track(variable, name or f"variable_{len(self._variables)}")

    def add_variable_from_reference(self, reference_variable: torch.Tensor, name: str | None = None,
                                    initializer: Any = "zeros") -> Variable:
        """A state tensor with the shape, dtype and device of ``reference_variable`` (zeros by default).

        ``initializer`` is a name (``"ones"``), an initializer object or a callable
        ``(shape, dtype) -> tensor``.
        """
        name = name or "var"
        index = self._index.get(id(reference_variable), len(self._variables))
        path = getattr(reference_variable, "path", f"variable_{index}").replace("/", "_")
        reference = reference_variable.detach()
        if isinstance(initializer, str) and initializer == "zeros":
            value = torch.zeros_like(reference, memory_format=torch.contiguous_format)
        else:
            from layerwise import initializers

            value = initializers.get(initializer)(tuple(reference.shape), dtype=reference.dtype)
            value = value.to(device=reference.device, dtype=reference.dtype).contiguous()
        return self._track(Variable(value, trainable=False, name=f"{path}_{name}"), f"{name}/{index}")

    def add_optimizer_variables(self, trainable_variables: Sequence[torch.Tensor], name: str | Sequence[str],
                                initializer: Any = "zeros") -> Any:
        """One state tensor per weight for each name in ``name``, interleaved per weight as Keras does.

        Returns a list when ``name`` is a string, else a tuple of lists (one per name).
        ``initializer`` is one initializer for all names, or one per name.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = list(initializer) if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(inits) != len(names):
            raise ValueError(f"`{type(self).__name__}.add_optimizer_variables` needs one initializer per name; "
                             f"received {len(names)} names and {len(inits)} initializers.")
        slots: tuple[list, ...] = tuple([] for _ in names)
        for variable in trainable_variables:
            for slot_list, slot_name, init in zip(slots, names, inits):
                slot_list.append(self.add_variable_from_reference(variable, slot_name, initializer=init))
        return slots[0] if isinstance(name, str) else slots

    @property
    def variables(self) -> list[torch.Tensor]:
        """Every state tensor in Keras's order: ``iterations``, the learning rate (when a float), the slots."""
        head = [self._iterations]
        if isinstance(self._learning_rate, torch.Tensor):
            head.append(self._learning_rate)
        return head + list(self._variables)

    def state_names(self) -> list[str]:
        """Stable names of :attr:`variables` (``"momentum/0"``: the slot and its weight's position), used as keys
        in saved files."""
        head = ["iterations"] + (["learning_rate"] if isinstance(self._learning_rate, torch.Tensor) else [])
        return head + list(self._slot_names)

    def load_state(self, values: dict[str, torch.Tensor]) -> None:
        """Restore state saved from :meth:`state_names` / :attr:`variables` (the optimizer must be built).

        Every name and shape is checked before anything is changed.
        """
        names = self.state_names()
        missing = [n for n in names if n not in values]
        if missing:
            raise ValueError(f"`{type(self).__name__}` optimizer state is missing "
                             f"{missing[:5]}{'...' if len(missing) > 5 else ''}; expected the names {names[:8]}"
                             f"{'...' if len(names) > 8 else ''}.")
        self._assign_all([values[n] for n in names], names)

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set every state tensor from a list in the order of :attr:`variables` (Keras's ``set_weights``)."""
        if not getattr(self, "built", False):
            raise ValueError(f"`{type(self).__name__}.set_weights` needs a built optimizer; call "
                             "`optimizer.build(trainable_variables)` first.")
        weights = list(weights)
        names = self.state_names()
        if len(weights) != len(names):
            raise ValueError(f"`{type(self).__name__}.set_weights` expected {len(names)} arrays (one per entry of "
                             f"`optimizer.variables`); received {len(weights)}.")
        self._assign_all([torch.as_tensor(w) for w in weights], names)

    def _assign_all(self, values: list, names: list[str]) -> None:
        for name, value, variable in zip(names, values, self.variables):
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(f"`{type(self).__name__}` optimizer state {name!r} has shape "
                                 f"{tuple(variable.shape)}; received a value of shape {tuple(value.shape)}.")
        with torch.no_grad():
            for value, variable in zip(values, self.variables):
                variable.copy_(value.to(variable.device, variable.dtype))
        self._host_iterations = int(self._iterations.item())
