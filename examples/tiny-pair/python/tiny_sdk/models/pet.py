import pydantic


class Pet(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    pet_name: str
    nickname: str | None = None
    age: int | None = None
