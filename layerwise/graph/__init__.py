"""The functional graph: symbolic tensors, the nodes that connect layers, and the graph runner."""
