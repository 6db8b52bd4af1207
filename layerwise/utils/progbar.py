"""``Progbar``: Keras's progress bar, drawn with ``rich``.

``verbose=1`` draws a live bar (step count, bar, ETA then elapsed time, time per step, metrics);
``verbose=2`` prints one line when the bar finishes. Redrawing is throttled to ``interval``
seconds; :meth:`Progbar.due` tells the caller whether reading new values is worth it, so metric
values (a device sync) are read only a few times a second.
"""

from __future__ import annotations

import time
from typing import Any, Iterable

import numpy as np

from rich.console import Console
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from layerwise.api_export import export


def format_value(value: Any) -> str:
    """A metric value as Keras prints it (4 decimals, or scientific when tiny)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{value:.4f}" if abs(value) > 1e-3 or value == 0 else f"{value:.4e}"


def format_time_per_unit(seconds: float, unit_name: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{(seconds % 3600) // 60:02d}:{seconds % 60:02d}"
    if seconds >= 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


@export("layerwise.utils.Progbar")
class Progbar:
    """A progress bar.

    Args:
        target: total number of steps (``None`` when unknown).
        width: width of the bar in characters.
        verbose: 0 silent, 1 live bar, 2 one line at the end.
        interval: minimum seconds between redraws.
        stateful_metrics: names whose values are shown as given; other values are averaged over
            the steps seen (as Keras's Progbar does).
        unit_name: what a step is called (``"step"``, ``"sample"``).

    Example:
        >>> bar = Progbar(target=3, verbose=2)
        >>> for step in range(1, 4):
        ...     bar.update(step, [("loss", 1.0 / step)])  # doctest: +SKIP
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Iterable[str] | None = None, unit_name: str = "step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self._values: dict[str, list[float]] = {}
        self._order: list[str] = []
        self._seen = 0
        self._start = time.time()
        self._last_draw = 0.0
        self._console = Console(highlight=False)
        self._live: Live | None = None
        self._finished = False

    def due(self) -> bool:
        """Whether the next :meth:`update` will redraw (so new values are worth reading)."""
        return self.verbose == 1 and time.time() - self._last_draw >= self.interval

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Move to step ``current``; ``values`` is a list of ``(name, value)`` pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._order:
                self._order.append(name)
            value = _as_scalar(value)
            if name in self.stateful_metrics:
                self._values[name] = [value, 1.0]
            else:
                weight = max(current - self._seen, 1)
                total, count = self._values.get(name, [0.0, 0.0])
                self._values[name] = [total + value * weight, count + weight]
        self._seen = current
        if self.verbose == 0 or self._finished:
            return
        now = time.time()
        if not finalize and (self.verbose != 1 or now - self._last_draw < self.interval):
            return
        self._last_draw = now
        if self.verbose == 1:
            self._draw_live(current, now, finalize)
        elif finalize:
            self._console.print(self._line(current, now, finalize=True, with_bar=False), soft_wrap=True)
        if finalize:
            self._finished = True

    def add(self, n: int, values: Any = None) -> None:
        self.update(self._seen + n, values)

    def _metrics_text(self) -> str:
        parts = []
        for name in sorted(self._order):
            total, count = self._values[name]
            parts.append(f"{name}: {format_value(total / max(count, 1.0))}")
        return (" - " + " - ".join(parts)) if parts else ""

    def _timing(self, current: int, now: float, finalize: bool) -> str:
        elapsed = now - self._start
        per_unit = elapsed / current if current else 0.0
        if finalize or self.target is None:
            head = format_duration(elapsed)
        else:
            head = format_duration(per_unit * (self.target - current))
        return f"{head} {format_time_per_unit(per_unit, self.unit_name)}"

    def _line(self, current: int, now: float, finalize: bool, with_bar: bool) -> Any:
        count = f"{current}/{self.target}" if self.target is not None else f"{current}"
        timing = self._timing(current, now, finalize)
        if not with_bar:
            return Text(f"{count} - {timing.replace(' ', ' - ', 1)}{self._metrics_text()}")
        grid = Table.grid(padding=(0, 1))
        grid.add_row(Text(count), ProgressBar(total=self.target or max(current, 1), completed=current,
                                              width=self.width),
                     Text(timing + self._metrics_text()))
        return grid

    def _draw_live(self, current: int, now: float, finalize: bool) -> None:
        renderable = self._line(current, now, finalize, with_bar=True)
        if self._live is None:
            self._live = Live(renderable, console=self._console, auto_refresh=False, transient=False)
            self._live.start()
        else:
            self._live.update(renderable, refresh=True)
        if finalize:
            self._live.update(renderable, refresh=True)
            self._live.stop()
            self._live = None

    def close(self) -> None:
        """Stop a live bar that never reached its target (an interrupted epoch)."""
        if self._live is not None:
            self._live.stop()
            self._live = None


def _as_scalar(value: Any) -> float:
    """A number to show: a metric with several values (per class, per threshold) shows their mean, as Keras."""
    return float(np.mean(np.asarray(value, dtype=np.float64)))
