"""The engine: runs cases through targets, judges them, and streams results (workers, scale,
shrinking, docs runs).
"""
