import pydantic

from .pet import Pet


class Owner(pydantic.BaseModel):
    id: int
    pets: list[Pet] | None = None
