"""The lowest layer: values and helpers every other layer may use (JSON wire text, formats,
conventions, divergence records, configuration, shipped JSON Schemas).
"""
