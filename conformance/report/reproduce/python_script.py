"""The Python reproducer: a standalone script run with the SDK's own interpreter.

It imports the standard library, pydantic and the SDK, never ``conformance``:
``python FILE`` exits 0 (``REPRODUCED: ...``), 1 (``NOT REPRODUCED: ...``) or 2
(an error of the script itself, such as an SDK that cannot be imported), and
``pytest FILE`` runs the same check as ``test_<family id>``. It calls the SDK as
the Python harness does (``conformance/harnesses/python_harness.py``):
responses through ``<package>.utils.unmarshal_json(text, Model)``, requests
through ``utils.unmarshal(json.loads(text), Model)``, each falling back to
plain pydantic where the SDK has no ``utils``; written back with
``utils.marshal_json(obj, Model)``, else ``model_dump_json(by_alias=True)``. A Fern or
Stainless SDK (``FLAVOR``) is called through its generator's own functions instead
(``python_flavours``), and its model found as its harness finds it: a qualified name
(``shared.Tag``) is the class of that name in a module whose name ends so, and Stainless
request params are ``TypedDict`` types. ``duplicate-key`` counts the key in the SDK's
text, pair by pair.
"""

from __future__ import annotations

import json
import re

from attrs import frozen

from conformance.report.reproduce.python_flavours import FLAVOUR_FUNCTIONS

__all__ = ["PythonScript", "example_line", "python_script"]


@frozen
class PythonScript:
    """What one Python reproducer checks (each value is embedded as a literal)."""

    finding: str
    sentence: str
    target: str
    kind: str
    direction: str
    model: str
    modules: tuple[str, ...]
    package: str
    writer: str
    path: tuple[str | int, ...]
    where: str
    wire_text: str
    present: bool
    expected_text: str
    #: The example's case id (``-min``: shrunk from the run's case, keeping the divergence).
    case: str = ""
    #: A cross-SDK round trip: the command of another SDK's script that prints what that SDK
    #: wrote for the payload (it is run with ``--write``); this SDK reads that text.
    source: tuple[str, ...] = ()
    #: The SDK's generator: ``fern`` and ``stainless`` read and write with their own
    #: functions; anything else takes the Speakeasy route (``utils``), else pydantic.
    flavor: str = ""
    #: A Fern SDK's response reader (``construct_type`` or ``parse_obj_as``).
    reader: str = ""


def python_script(script: PythonScript) -> str:
    """The text of the script."""
    test_name = "test_" + re.sub(r"\W", "_", script.finding, flags=re.ASCII)
    lines = [
        f"# Reproducer of finding {script.finding} on {script.target}:",
        *(f"#   {line}" for line in script.sentence.splitlines() or [""]),
        "# Written by `conformance findings --reproduce`; it needs only the SDK and its",
        "# interpreter: `python THIS_FILE` exits 0 reproduced, 1 not reproduced, 2 an error",
        "# of this script; `pytest THIS_FILE` runs the same check.",
        *example_line("# ", script.case),
        "from __future__ import annotations",
        "",
        "import decimal",
        "import fnmatch",
        "import importlib",
        "import json",
        "import pkgutil",
        "import subprocess",
        "import sys",
        "import traceback",
        "import types",
        "import typing",
        "",
        f"FINDING = {script.finding!r}",
        f"SENTENCE = {script.sentence!r}",
        f"TARGET = {script.target!r}",
        f"KIND = {script.kind!r}",
        f"DIRECTION = {script.direction!r}",
        f"MODEL = {script.model!r}",
        f"MODULES = {list(script.modules)!r}",
        f"PACKAGE = {script.package!r}",
        "# How the model is written back: the SDK's marshal_json when empty and it has one.",
        f"WRITER = {script.writer!r}",
        "# The SDK's generator: fern and stainless SDKs are called through their own functions.",
        f"FLAVOR = {script.flavor!r}",
        f"READER = {script.reader!r}",
        f"PATH = {list(script.path)!r}",
        f"WHERE = {script.where!r}",
        "# The payload, exactly as the SDK reads it.",
        f"WIRE_TEXT = {script.wire_text!r}",
        "# Empty: the SDK reads WIRE_TEXT. Else the command of another SDK's script that prints",
        "# what that SDK wrote for WIRE_TEXT (run with --write): this SDK reads that.",
        f"SOURCE = {list(script.source)!r}",
        "# What this SDK does at PATH, as the finding says: present or not, and its JSON.",
        f"PRESENT = {script.present!r}",
        f"EXPECTED_TEXT = {script.expected_text!r}",
    ]
    test = f"\n\ndef {test_name}() -> None:\n{_TEST}"
    return "\n".join(lines) + "\n" + _BODY + test + _MAIN


_TEST = '''\
    """The SDK does what the finding says."""
    ok, message = reproduce()
    assert ok, message
'''

_MAIN = """

if __name__ == "__main__":
    sys.exit(main())
"""

_BODY = (
    r'''
FORMATS = ("number-format", "datetime-format")


class ScriptError(Exception):
    """A failure of this script, not of the SDK (exit 2)."""


class Token(str):
    """A JSON number kept as its text."""


def exact(text):
    return json.loads(text, parse_float=decimal.Decimal, parse_int=int)


def tokens(text):
    return json.loads(text, parse_float=Token, parse_int=Token)


def dump(value):
    """JSON text of a value parsed by ``tokens``, numbers as they were written."""
    if isinstance(value, Token):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def same(a, b):
    """JSON equality: numbers by value, never a boolean for a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    numbers = (int, decimal.Decimal)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return decimal.Decimal(a) == decimal.Decimal(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    return type(a) is type(b) and a == b


def at(value, path):
    """(found, the value at ``path``)."""
    for step in path:
        if isinstance(value, dict) and isinstance(step, str) and step in value:
            value = value[step]
        elif isinstance(value, list) and type(step) is int and 0 <= step < len(value):
            value = value[step]
        else:
            return False, None
    return True, value


def load(name):
    try:
        return importlib.import_module(name)
    except Exception as error:
        raise ScriptError(f"cannot import {name}: {type(error).__name__}: {error}") from error


def candidates(entry):
    """The modules a ``modules`` entry names: the module, then its submodules (for a package
    whose ``__init__`` exports no model), or the modules a glob of dotted names matches."""
    parts = entry.split(".")
    static = []
    for part in parts:
        if set(part) & set("*?["):
            break
        static.append(part)
    base = load(".".join(static))
    pattern = parts[len(static):]
    if not pattern:
        yield base
        pattern = ["**"]
    for info in pkgutil.walk_packages(getattr(base, "__path__", []), base.__name__ + ".",
                                      onerror=lambda name: None):
        if matches(info.name[len(base.__name__) + 1:].split("."), pattern):
            try:
                yield importlib.import_module(info.name)
            except Exception:
                continue


def matches(parts, segments):
    if not segments:
        return not parts
    head, rest = segments[0], segments[1:]
    if head == "**":
        return any(matches(parts[n:], rest) for n in range(1, len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and matches(parts[1:], rest)


def is_union(value):
    """A union type alias (``Union[...]``, ``X | Y``, a ``TypeAliasType`` or ``Annotated``
    one): the SDK's type of a body that is one of several models."""
    if type(value).__name__ == "TypeAliasType":
        return True
    origin = typing.get_origin(value)
    return origin is typing.Union or origin is types.UnionType or origin is typing.Annotated


def is_typeddict(value):
    return isinstance(value, type) and issubclass(value, dict) and hasattr(value, "__total__")


def find_model(base_model):
    """The SDK's type named MODEL; ``chat.Foo`` is the Foo of a module whose name ends in
    ``chat`` (several classes share the name Foo)."""
    qualifier, _, name = MODEL.rpartition(".")
    for entry in MODULES:
        for module in candidates(entry):
            where = module.__name__
            if qualifier and not (where == qualifier or where.endswith("." + qualifier)):
                continue
            value = getattr(module, name, None)
            if isinstance(value, type) and (issubclass(value, base_model) or is_typeddict(value)):
                return value
            if value is not None and is_union(value):
                return value
    raise ScriptError(f"model {MODEL} not found in {', '.join(MODULES)}")


'''
    + FLAVOUR_FUNCTIONS
    + r'''

def payload_text():
    """The text the SDK reads: WIRE_TEXT, or what the SOURCE SDK wrote for it."""
    if not SOURCE:
        return WIRE_TEXT
    try:
        done = subprocess.run([*SOURCE, "--write"], capture_output=True, text=True,
                              encoding="utf-8", timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ScriptError(f"cannot run the writing SDK's script: {error}") from error
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip())[-500:]
        raise ScriptError(f"the writing SDK wrote nothing to read: {said}")
    return done.stdout


def run_sdk():
    """(accepted, written text, the model instance, the SDK's error)."""
    wire_text = payload_text()
    pydantic = load("pydantic")
    cls = find_model(pydantic.BaseModel)
    if FLAVOR in ("fern", "stainless"):
        read, write = (fern_routes if FLAVOR == "fern" else stainless_routes)(cls)
    else:
        read, write = speakeasy_routes(pydantic, cls)
    try:
        obj = read(wire_text)
    except Exception as error:
        return False, None, None, f"{type(error).__name__}: {error}"
    try:
        text = write(obj)
    except Exception as error:
        why = f"{type(error).__name__}: {error}"
        if DIRECTION == "response":
            # The SDK never writes a response: its user has what it read (as the harness).
            return True, None, obj, f"the SDK read the response but could not write it back: {why}"
        return False, None, obj, f"the SDK read the payload but could not write it back: {why}"
    return True, text, obj, ""


def speakeasy_routes(pydantic, cls):
    """(read, write) through ``<package>.utils`` (Speakeasy), else plain pydantic."""
    try:
        utils = importlib.import_module(PACKAGE + ".utils")
    except ImportError:
        utils = None
    unmarshal_json = getattr(utils, "unmarshal_json", None)
    unmarshal = getattr(utils, "unmarshal", None)
    marshal_json = getattr(utils, "marshal_json", None)
    writer = WRITER or ("marshal_json" if marshal_json else "model_dump_json")
    if writer == "marshal_json" and marshal_json is None:
        raise ScriptError(f"{PACKAGE}.utils has no marshal_json")
    # A union has no model_validate: pydantic adapts it, as the SDK's own utils do.
    adapter = pydantic.TypeAdapter(cls) if not isinstance(cls, type) else None

    def read(wire_text):
        if DIRECTION == "response":
            if unmarshal_json is not None:
                return unmarshal_json(wire_text, cls)
            if adapter is not None:
                return adapter.validate_json(wire_text)
            return cls.model_validate_json(wire_text)
        value = json.loads(wire_text)
        if unmarshal is not None:
            return unmarshal(value, cls)
        if adapter is not None:
            return adapter.validate_python(value)
        return cls.model_validate(value)

    def write(obj):
        if writer == "marshal_json":
            return marshal_json(obj, cls)
        if adapter is not None:
            return adapter.dump_json(obj, by_alias=True).decode("utf-8")
        return obj.model_dump_json(by_alias=True)

    return read, write


def wire_key(name, info):
    """A field's wire key: its pydantic alias, else a Fern ``FieldMetadata(alias=...)``."""
    if info.alias:
        return info.alias
    for meta in info.metadata or ():
        if type(meta).__name__ == "FieldMetadata" and isinstance(getattr(meta, "alias", None), str):
            return meta.alias
    return name


def extras_at(obj, path):
    """The extra (undeclared) attributes of the model holding the field at ``path``."""
    base_model = load("pydantic").BaseModel
    node = obj
    for step in path[:-1]:
        name = attribute_name(node, [step]) if isinstance(node, base_model) else step
        try:
            node = getattr(node, name) if isinstance(node, base_model) else node[name]
        except (AttributeError, KeyError, IndexError, TypeError):
            return {}
    return (node.model_extra or {}) if isinstance(node, base_model) else {}


def attribute_name(obj, path):
    """The Python attribute that holds the field at wire ``path`` of a model instance."""
    base_model = load("pydantic").BaseModel
    node = obj
    for position, step in enumerate(path):
        if isinstance(node, base_model):
            names = [
                name
                for name, info in type(node).model_fields.items()
                if wire_key(name, info) == step
            ]
            if not names and step in (node.model_extra or {}):
                # A key the model does not declare is kept as an attribute of its own name.
                names = [step]
            if not names:
                return None
            if position == len(path) - 1:
                return names[0]
            node = getattr(node, names[0])
        elif isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, (list, tuple)) and type(step) is int and step < len(node):
            node = node[step]
        else:
            return None
    return None


def check():
    """(whether the SDK does what the finding says, what it did)."""
    accepted, text, obj, error = run_sdk()
    if KIND == "accept":
        did = "accepted the payload" if accepted else f"rejected the payload ({error})"
        return accepted == (exact(EXPECTED_TEXT) == "accepted"), did
    if not accepted:
        return False, f"rejected the payload ({error})"
    if KIND == "naming":
        name = attribute_name(obj, PATH)
        did = f"named it {name!r}" if name else f"has no attribute for {WHERE}"
        wanted = exact(EXPECTED_TEXT)
        if isinstance(wanted, dict) and wanted.get("declared") is False:
            # The SDK declares no field there: it keeps the key as an unknown one (an extra).
            kept = name is not None and name in extras_at(obj, PATH)
            did += "" if name is None else (", an extra" if kept else ", a declared field")
            return kept and name == wanted.get("key"), did
        return name == wanted, did
    if text is None:
        raise ScriptError(f"the SDK reads {MODEL} but never writes it: only what it accepts shows")
    if KIND == "duplicate-key":
        times = key_count(text, PATH)
        return times == exact(EXPECTED_TEXT), f"wrote the key {times} time(s) at {WHERE}"
    found, node = at(tokens(text), PATH)
    did = f"wrote {dump(node)} at {WHERE}" if found else f"wrote nothing at {WHERE}"
    if not PRESENT or not found:
        return found == PRESENT, did
    if KIND == "order":
        keys = list(node) if isinstance(node, dict) else None
        return keys == exact(EXPECTED_TEXT), f"wrote the keys {keys} at {WHERE}"
    if KIND in FORMATS:
        return dump(node) == dump(tokens(EXPECTED_TEXT)), did
    return same(at(exact(text), PATH)[1], exact(EXPECTED_TEXT)), did


class Pairs(list):
    """A JSON object as the (key, value) pairs its text holds, repeated keys included."""


def key_count(text, path):
    """How often the object at ``path[:-1]`` of the JSON text writes the key ``path[-1]``
    (a parsed value keeps one copy: the text is read pair by pair)."""
    node = json.loads(text, object_pairs_hook=Pairs)
    for step in path[:-1]:
        if isinstance(node, Pairs) and isinstance(step, str):
            copies = [value for key, value in node if key == step]
            node = copies[-1] if copies else None
        elif isinstance(node, list) and not isinstance(node, Pairs) and type(step) is int:
            node = node[step] if 0 <= step < len(node) else None
        else:
            return 0
    if not (isinstance(node, Pairs) and path):
        return 0
    return sum(1 for key, _ in node if key == path[-1])


def expectation():
    shown = dump(tokens(EXPECTED_TEXT))
    if KIND == "duplicate-key":
        return f"the key written {shown} time(s) at {WHERE}"
    if KIND == "accept":
        return f"the SDK to {'accept' if exact(EXPECTED_TEXT) == 'accepted' else 'reject'} it"
    if KIND == "naming":
        wanted = exact(EXPECTED_TEXT)
        if isinstance(wanted, dict) and wanted.get("declared") is False:
            return f"{WHERE} kept as the undeclared attribute {wanted.get('key')!r}"
        return f"the attribute of {WHERE} named {shown}"
    if not PRESENT:
        return f"nothing at {WHERE}"
    if KIND == "order":
        return f"the keys {shown} at {WHERE}"
    if KIND in FORMATS:
        return f"exactly {shown} at {WHERE}"
    return f"{shown} at {WHERE}"


def reproduce():
    """(reproduced, the message)."""
    ok, did = check()
    if ok:
        return True, f"REPRODUCED: {SENTENCE}"
    return False, f"NOT REPRODUCED: expected {expectation()}; the SDK {did}"


def write():
    """``--write``: print what the SDK wrote for the payload (exit 2 when it wrote nothing)."""
    accepted, text, _, error = run_sdk()
    if not accepted or text is None:
        raise ScriptError(f"the SDK did not write the payload back: {error}")
    sys.stdout.write(text)


def main():
    try:
        if "--write" in sys.argv[1:]:
            write()
            return 0
        ok, message = reproduce()
    except ScriptError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    except Exception:
        traceback.print_exc()
        print("ERROR: the reproducer itself failed (above)", file=sys.stderr)
        return 2
    print(message)
    return 0 if ok else 1
'''
)


def example_line(comment: str, case: str) -> list[str]:
    """The comment naming the example's case (a shrunk one says so); none without a case."""
    if not case:
        return []
    shrunk = case.endswith("-min")
    tail = " (shrunk: the smallest payload found that keeps the divergence)" if shrunk else ""
    return [f"{comment}Example case: {json.dumps(case)}{tail}"]
