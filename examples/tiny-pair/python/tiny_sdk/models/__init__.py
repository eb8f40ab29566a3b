from .owner import Owner
from .pet import Pet

__all__ = ["Owner", "Pet"]
