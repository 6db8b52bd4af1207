"""The state shared by nested layer calls: the ``training`` flag and collected losses.

Keras resolves ``training=None`` from the outermost call; so does layerwise. A layer called with
no ``training`` argument inherits the value of the call it is nested in; the outermost call falls
back to the module's torch mode (``module.train()`` / ``module.eval()``), which is ``eval`` for a
new layer, so ``model(x)`` is inference as in Keras and ``model.train(); model(x)`` trains as in
PyTorch.
"""

from __future__ import annotations

import threading


class CallContext(threading.local):
    def __init__(self):
        self.depth = 0  # how many layer calls are on the stack
        self.training: bool = False
        self.tracing = False  # True while output shapes are found by a dummy run
        self.loss_owners: list = []  # layers that called add_loss during this outermost call
        self.creation_device = None  # where weights built symbolically during an eager call go


CONTEXT = CallContext()
