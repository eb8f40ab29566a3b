"""The reference oracle: attrs classes built from a schema, the cattrs converters per convention,
and naming reports.
"""
