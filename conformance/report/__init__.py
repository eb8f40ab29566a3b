"""Renderers: pure functions from a ``Summary`` (and records) to text."""
