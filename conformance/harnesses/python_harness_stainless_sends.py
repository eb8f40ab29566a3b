"""How a Stainless SDK's methods send each params type, read from their source (no call made).

Runs under the SDK's own interpreter with the standard library only, like the
harness. A Stainless method never sends its ``TypedDict`` params as they are: it
builds a dict of some of its arguments and hands it to
``maybe_transform(data, Params)`` (``async_maybe_transform`` in async methods),
and what it does with the result says how it is sent::

    return self._post("/responses", body=maybe_transform({"input": input, ...}, P), ...)
    options=make_request_options(query=maybe_transform({"after": after}, ListParams))
    return self._post("/files", body=maybe_transform(body, FileParams), files=files, ...)
    self.connection.send(json.dumps(maybe_transform(event, EventParam)))

``scan`` parses (``ast``, never imports) every module of the package outside
``types`` and ``_utils`` that calls ``maybe_transform``, and finds each call's
params type (a name or ``module.Name`` the file imports; both sides of
``A if stream else B``) and its use: ``json`` (a ``body=`` keyword of a request
without ``files=`` and without a ``multipart/form-data`` header; or an argument
of a ``dumps`` call), ``multipart`` (a ``body=`` next to ``files=`` or such a
header), ``query`` (a ``query=`` keyword), or the name of another keyword. A
result assigned to a variable takes the use of the places that variable goes.
The keys of a JSON body are the keys of the dict literal handed in (or of the
dict assigned to the variable handed in, with the keys later set by
``name["key"] = ...``); the params type's other keys go elsewhere (headers such
as ``betas`` -> ``openai-beta``, the URL path, the query), and the body holds
its keys in the dict's order. Where the dict is not in the source (a method's
own argument), every key may be sent, in the order given.

A newer Stainless generation has no ``maybe_transform``: a method hands its
keyword arguments as a dict literal, ``self._post("/v1/messages", body={"model":
model, ...})`` (``query={...}`` inside ``make_request_options``), and
``_base_client`` prepares it with ``prepare_request_data``. No params type is
named in the call, so ``scan_literals`` pairs each literal with the params
``TypedDict`` types the SDK declares in ``types/**/*_params.py`` by their keys:
a type is the literal's when the literal's keys are all among the type's keys
and the type's keys are all parameters of the method (its other keys go in
headers or the URL). A literal no type pairs with is counted, not guessed at.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the sibling; at run time it is top-level
    from conformance.harnesses.python_harness_aliases import module_statements
else:
    from python_harness_aliases import module_statements

#: The SDK's functions that turn params into what is sent.
_TRANSFORMS = frozenset({"maybe_transform", "async_maybe_transform"})
#: Folders of the package that define these functions and the types, not uses of them.
_SKIPPED = frozenset({"types", "_utils"})
#: How many variables a result may pass through before its use is given up.
_HOPS = 4

#: Keys in order (a dict used as an ordered set).
Keys = dict[str, None]


class Sends:
    """What the scan found: each params type's uses, and the keys of its JSON bodies."""

    def __init__(self) -> None:
        #: value key of a params type -> (the type, {use: first place it is used so}).
        self.uses: dict[Any, tuple[Any, dict[str, str]]] = {}
        #: value key -> the Python keys a JSON body of it holds, in the order the method's
        #: dict has them (None: any of its keys, in the order given).
        self.body_keys: dict[Any, Keys | None] = {}
        #: Modules where the scan found what it reads (calls, or body/query literals).
        self.files = 0
        #: What the scan read, for details and warnings.
        self.source = "maybe_transform calls"
        #: Body and query literals no params type pairs with (``scan_literals``).
        self.unpaired = 0

    def add(self, params: Any, key: Any, use: str, where: str, keys: Keys | None) -> None:
        self.uses.setdefault(key, (params, {}))[1].setdefault(use, where)
        if use != "json":
            return
        if key not in self.body_keys:
            self.body_keys[key] = None if keys is None else dict(keys)
        else:
            known = self.body_keys[key]
            self.body_keys[key] = None if known is None or keys is None else known | keys


def _source_files(folders: list[str]) -> Iterator[tuple[str, str]]:
    """(folder, path) of each ``.py`` file of the package's folders, in a stable order; the
    folders' top-level ``_SKIPPED`` directories left out."""
    for folder in folders:
        for where, dirs, files in os.walk(folder):
            if where == folder:
                dirs[:] = [name for name in dirs if name not in _SKIPPED]
            for name in sorted(files):
                if name.endswith(".py"):
                    yield folder, os.path.join(where, name)


def scan(package: str, value_key: Any) -> Sends:
    """Every ``maybe_transform`` call in ``package``'s modules (see the module doc)."""
    sends = Sends()
    try:
        folders = list(importlib.import_module(package).__path__)
    except Exception as error:
        print(f"python harness: cannot find {package}'s files: {error}", file=sys.stderr)
        return sends
    for folder, path in _source_files(folders):
        _scan_file(path, folder, package, sends, value_key)
    return sends


def _scan_file(path: str, folder: str, package: str, sends: Sends, value_key: Any) -> None:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return
    if "maybe_transform(" not in text:
        return
    try:
        tree = ast.parse(text, path)
    except SyntaxError:
        return
    sends.files += 1
    relative = os.path.relpath(path, folder)
    parts = relative[: -len(".py")].split(os.sep)
    # Relative imports resolve against the module's package: itself for an ``__init__``.
    file = _File(".".join([package, *parts[:-1]]), tree)
    parents: dict[ast.AST, ast.AST] = {}
    calls: list[ast.Call] = []
    pending: list[ast.AST] = [tree]
    while pending:  # one pass: each node's parent, and the calls wanted
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            parents[child] = node
            pending.append(child)
        if isinstance(node, ast.Call) and _called(node) in _TRANSFORMS:
            calls.append(node)
    for call in calls:
        function = _enclosing(call, parents)
        if function is not None:
            place = f"{relative.replace(os.sep, '/')}:{function.name}"
            _scan_call(call, function, parents, file, place, sends, value_key)


def _enclosing(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> Any:
    """The function a node is in, or None."""
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parent = parents.get(parent)
    return parent


class _File:
    """A parsed module: the names its ``from ... import`` statements bind, resolved lazily."""

    def __init__(self, package: str, tree: ast.Module) -> None:
        self.package = package
        self.imports: dict[str, tuple[str, str]] = {}
        for node in module_statements(tree.body):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    base = "." * node.level + (node.module or "")
                    self.imports[alias.asname or alias.name] = (base, alias.name)

    def resolve(self, node: ast.expr) -> list[Any]:
        """The types an expression names (both sides of a conditional)."""
        if isinstance(node, ast.IfExp):
            return self.resolve(node.body) + self.resolve(node.orelse)
        if isinstance(node, ast.Name):
            found = self._imported(node.id)
            return [] if found is None else [found]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = self._imported(node.value.id)
            found = getattr(owner, node.attr, None) if owner is not None else None
            return [] if found is None else [found]
        return []

    def _imported(self, name: str) -> Any:
        source = self.imports.get(name)
        if source is None:
            return None
        base, attr = source
        try:
            where = importlib.util.resolve_name(base, self.package)
            owner = importlib.import_module(where)
        except Exception:
            return None
        found = getattr(owner, attr, None)
        if found is None:  # a submodule its package does not import itself
            try:
                found = importlib.import_module(f"{where}.{attr}")
            except Exception:
                return None
        return found


def _scan_call(
    call: ast.Call,
    function: Any,
    parents: dict[ast.AST, ast.AST],
    file: _File,
    place: str,
    sends: Sends,
    value_key: Any,
) -> None:
    """Record the params type of one ``maybe_transform`` call, its use and body keys."""
    expected = call.args[1] if len(call.args) > 1 else _keyword(call, "expected_type")
    if expected is None or not call.args:
        return
    use = _use(call, parents, function, _HOPS)
    keys = _dict_keys(call.args[0], function) if use == "json" else None
    for params in file.resolve(expected):
        try:
            key = value_key(params)
        except Exception:
            continue
        sends.add(params, key, use, place, keys)


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _use(node: ast.AST, parents: dict[ast.AST, ast.AST], function: ast.AST, hops: int) -> str:
    """How the value of ``node`` is sent: ``json``, ``multipart``, ``query``, another
    keyword's name, or ``unknown``."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.keyword):
            owner = parents.get(parent)
            if parent.arg != "body":
                return str(parent.arg or "unknown")
            has_files = isinstance(owner, ast.Call) and any(
                kw.arg == "files" for kw in owner.keywords
            )
            return "multipart" if has_files or _multipart(function) else "json"
        if isinstance(parent, ast.Call) and child is not parent.func and _called(parent) == "dumps":
            return "json"
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and hops > 0:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = {target.id for target in targets if isinstance(target, ast.Name)}
            uses = [
                _use(other, parents, function, hops - 1)
                for other in ast.walk(function)
                if isinstance(other, ast.Name)
                and other.id in names
                and isinstance(other.ctx, ast.Load)
            ]
            known = [use for use in uses if use != "unknown"]
            return known[0] if known else "unknown"
        if isinstance(parent, ast.stmt):
            return "unknown"
        child, parent = parent, parents.get(parent)
    return "unknown"


def _multipart(function: ast.AST) -> bool:
    """Whether a function sets a ``multipart/form-data`` header."""
    return any(
        isinstance(node, ast.Constant) and node.value == "multipart/form-data"
        for node in ast.walk(function)
    )


def _dict_keys(data: ast.expr, function: ast.AST) -> Keys | None:
    """The keys of the dict handed to ``maybe_transform`` (None: not in the source)."""
    if isinstance(data, ast.Dict):
        return _literal_keys(data)
    if not isinstance(data, ast.Name):
        return None
    keys: Keys | None = None
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == data.id for target in node.targets
        ):
            value = node.value
            if isinstance(value, ast.Call) and value.args:
                value = value.args[0]  # deepcopy_minimal({...}) and the like
            if not isinstance(value, ast.Dict):
                return None
            found = _literal_keys(value)
            if found is None:
                return None
            keys = found if keys is None else keys | found
    if keys is None:
        return None
    for node in ast.walk(function):
        target = node.targets[0] if isinstance(node, ast.Assign) and node.targets else None
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id == data.id
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
        ):
            keys[target.slice.value] = None
    return keys


def _literal_keys(node: ast.Dict) -> Keys | None:
    keys: Keys = {}
    for key in node.keys:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None  # ``**spread`` or a computed key
        keys[key.value] = None
    return keys


def scan_literals(package: str, value_key: Any) -> Sends:
    """The ``body=`` / ``query=`` dict literals of ``package``'s methods, paired with the params
    types they send by their keys (newer generation, see the module doc)."""
    sends = Sends()
    sends.source = "body/query literals paired with types/*_params.py by keys"
    try:
        folders = list(importlib.import_module(package).__path__)
    except Exception as error:
        print(f"python harness: cannot find {package}'s files: {error}", file=sys.stderr)
        return sends
    literals: list[tuple[Keys, set[str], str, str]] = []
    for folder, path in _source_files(folders):
        literals += _file_literals(path, folder)
    declared = _declared_params(package, folders)
    paired_files: set[str] = set()
    for keys, arguments, use, place in literals:
        paired = False
        for params, names in declared:
            if set(keys) <= names <= arguments:
                paired = True
                sends.add(params, value_key(params), use, place, keys if use == "json" else None)
        if paired:
            paired_files.add(place.split(":")[0])
        else:
            sends.unpaired += 1
    sends.files = len(paired_files)
    return sends


def _file_literals(path: str, folder: str) -> list[tuple[Keys, set[str], str, str]]:
    """(keys, the method's parameter names, use, place) of each body or query dict a method
    hands to a request."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return []
    if "body=" not in text and "query=" not in text:
        return []
    try:
        tree = ast.parse(text, path)
    except SyntaxError:
        return []
    relative = os.path.relpath(path, folder).replace(os.sep, "/")
    found: list[tuple[Keys, set[str], str, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if function.args.vararg or function.args.kwarg:
            continue  # ``**params``: no parameter list to pair a type's keys with
        arguments = {
            arg.arg
            for arg in function.args.posonlyargs + function.args.args + function.args.kwonlyargs
        }
        for call in ast.walk(function):
            if not isinstance(call, ast.Call):
                continue
            for keyword in call.keywords:
                if keyword.arg not in ("body", "query"):
                    continue
                keys = _dict_keys(keyword.value, function)
                if not keys:
                    continue  # not a dict the source spells out
                if keyword.arg == "query":
                    use = "query"
                elif any(kw.arg == "files" for kw in call.keywords) or _multipart(function):
                    use = "multipart"
                else:
                    use = "json"
                found.append((keys, arguments, use, f"{relative}:{function.name}"))
    return found


def _declared_params(package: str, folders: list[str]) -> list[tuple[Any, set[str]]]:
    """The ``TypedDict`` classes defined in the package's ``types/**/*_params.py`` modules,
    with their keys."""
    declared: list[tuple[Any, set[str]]] = []
    for folder in folders:
        root = os.path.join(folder, "types")
        for where, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith("_params.py"):
                    continue
                relative = os.path.relpath(os.path.join(where, name), folder)
                module_name = ".".join([package, *relative[: -len(".py")].split(os.sep)])
                try:
                    module = importlib.import_module(module_name)
                except Exception:
                    continue
                for value in vars(module).values():
                    if (
                        isinstance(value, type)
                        and issubclass(value, dict)
                        and hasattr(value, "__required_keys__")
                        and value.__module__ == module_name
                    ):
                        names = set(value.__required_keys__) | set(
                            getattr(value, "__optional_keys__", ())
                        )
                        declared.append((value, names))
    return declared
