"""The only place that touches disk and git."""
