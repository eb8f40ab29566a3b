"""How the SDK reads responses and writes requests (as Speakeasy's utils do)."""

import json


def unmarshal_json(text, cls):
    return cls.model_validate_json(text)


def unmarshal(value, cls):
    return cls.model_validate(value)


def marshal_json(obj, cls):
    return json.dumps(obj.model_dump(by_alias=True, mode="json", exclude_none=True))
