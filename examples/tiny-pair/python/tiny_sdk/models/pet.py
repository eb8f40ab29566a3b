from typing import Optional

import pydantic


class Pet(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    pet_name: str
    nickname: Optional[str] = None
    age: Optional[int] = None
