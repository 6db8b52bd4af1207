"""Training: ``compile``, ``fit``, ``evaluate``, ``predict``, and the data pipeline under them."""
