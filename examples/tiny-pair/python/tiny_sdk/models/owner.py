from typing import List, Optional

import pydantic

from .pet import Pet


class Owner(pydantic.BaseModel):
    id: int
    pets: Optional[List[Pet]] = None
