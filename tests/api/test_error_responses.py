"""Every error a route can raise is in its OpenAPI responses.

Routes declare `responses=error_responses(...)` from the classes in errors.py. This test reads
the code instead of trusting the list: from each route's handler and dependencies it follows
every call into the hub's own functions and methods, collects each `raise SomeError(...)` of a
domain error, and checks that the route's document has a response for that status. OpenAPI
lists responses by status, so two errors of one status (413 for a body too large and for too
many filesystems) share one entry.
"""

import ast
import inspect
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from homelab_cmd.errors import HomelabError
from homelab_cmd.main import create_app

APP = create_app(Settings(ui_dir=Path("/nonexistent")))
DOCUMENT = APP.openapi()
Function = Callable[..., Any]


def _is_ours(value: object) -> bool:
    return getattr(value, "__module__", "").startswith("homelab_cmd.")


def _function(value: object) -> Function | None:
    value = inspect.unwrap(value) if callable(value) else value
    if isinstance(value, (types.FunctionType, types.MethodType)) and _is_ours(value):
        return typing.cast(Function, getattr(value, "__func__", value))
    return None


def _class(hint: object) -> type | None:
    """The hub's own class a type hint names: through Annotated, Optional and unions."""
    if typing.get_origin(hint) is typing.Annotated:
        return _class(typing.get_args(hint)[0])
    if isinstance(hint, type):
        return hint if _is_ours(hint) else None
    for arg in typing.get_args(hint):
        found = _class(arg)
        if found is not None:
            return found
    return None


def _hints(function: Function) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function, include_extras=True)
    except (NameError, TypeError):
        return {}


def _owner(function: Function) -> type | None:
    """The class a method is defined in, found by its qualified name."""
    parts = function.__qualname__.split(".")
    if len(parts) < 2 or "<locals>" in parts:
        return None
    owner: object = inspect.getmodule(function)
    for part in parts[:-1]:
        owner = getattr(owner, part, None)
    return owner if isinstance(owner, type) else None


@cache
def _tree(function: Function) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return None


@cache
def _attribute_types(cls: type) -> dict[str, type]:
    """What `self.<name>` holds, from the class's annotations and its __init__ assignments."""
    found = {name: c for name, hint in _hints(cls).items() if (c := _class(hint)) is not None}
    init = cls.__dict__.get("__init__")
    tree = _tree(init) if isinstance(init, types.FunctionType) else None
    if tree is None:
        return found
    params = _hints(typing.cast(Function, init))
    scope = {**vars(inspect.getmodule(cls)), **params}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                for name in ast.walk(node.value):
                    if isinstance(name, ast.Name) and name.id in scope:
                        kind = (
                            _class(params[name.id]) if name.id in params else _class(scope[name.id])
                        )
                        if kind is not None:
                            found.setdefault(target.attr, kind)
    return found


class _Scope:
    """Names as one function sees them: its globals, closure, typed parameters and `self`."""

    def __init__(self, function: Function) -> None:
        closure = inspect.getclosurevars(function)
        self.names: dict[str, Any] = {**closure.globals, **closure.nonlocals}
        self.types = {
            name: c for name, hint in _hints(function).items() if (c := _class(hint)) is not None
        }
        owner = _owner(function)
        if owner is not None:
            self.types["self"] = owner

    def resolve(self, node: ast.expr) -> object:
        """The object an expression names, as far as names and attributes can tell."""
        if isinstance(node, ast.Name):
            if node.id in self.types:
                return self.types[node.id]
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if isinstance(base, type):
                member = inspect.getattr_static(base, node.attr, None)
                if member is None:
                    return _attribute_types(base).get(node.attr)
                return getattr(base, node.attr, None)
            if isinstance(base, types.ModuleType):
                return getattr(base, node.attr, None)
        return None


def _raised(scope: _Scope, node: ast.Raise) -> type[HomelabError] | None:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if exc is None:
        return None
    value = scope.resolve(exc)
    if isinstance(value, type) and issubclass(value, HomelabError):
        return value
    function = _function(value)
    if function is not None:  # `raise self._busy(...)`: a helper that builds the error
        made = _hints(function).get("return")
        if isinstance(made, type) and issubclass(made, HomelabError):
            return made
    return None


def _reached(function: Function) -> Iterator[Function]:
    """The hub's functions this one calls or hands on (a callback, a thread-pool call). A
    method reaches every method of its class: the class's threads may raise on its behalf
    (the heartbeat writer hands its callers the store's errors through a future)."""
    tree = _tree(function)
    if tree is None:
        return
    owner = _owner(function)
    if owner is not None:
        for member in vars(owner).values():
            found = _function(member)
            if found is not None:
                yield found
    scope = _Scope(function)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            found = _function(scope.resolve(node))
            if found is not None:
                yield found


def raisable(roots: list[Function]) -> set[type[HomelabError]]:
    """Every domain error a `raise` in these functions, or in what they reach, names."""
    seen: set[Function] = set()
    errors: set[type[HomelabError]] = set()
    pending = list(roots)
    while pending:
        function = pending.pop()
        if function in seen:
            continue
        seen.add(function)
        tree = _tree(function)
        if tree is None:
            continue
        scope = _Scope(function)
        errors |= {
            error
            for node in ast.walk(tree)
            if isinstance(node, ast.Raise) and (error := _raised(scope, node)) is not None
        }
        pending.extend(_reached(function))
    return errors


def _calls(dependant: Dependant) -> Iterator[Function]:
    if dependant.call is not None:
        found = _function(dependant.call)
        if found is not None:
            yield found
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _documented_routes() -> list[tuple[str, str, Any]]:
    """(method, path, route) of every operation in the document, included routers flattened."""
    found = []
    for route in APP.routes:
        # Included routers are expanded by FastAPI itself, prefixes applied.
        contexts = getattr(route, "effective_route_contexts", None)
        entries: list[Any] = list(contexts()) if contexts else [route]
        for entry in entries:
            if getattr(entry, "dependant", None) is None or not entry.include_in_schema:
                continue
            path = str(entry.path_format)
            found += [
                (m, path, entry) for m in entry.methods if m.lower() in DOCUMENT["paths"][path]
            ]
    return sorted(found, key=lambda item: (item[1], item[0]))


ROUTES = _documented_routes()


@pytest.mark.parametrize(
    ("method", "path", "route"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES]
)
def test_every_error_a_route_can_raise_is_in_its_openapi(
    method: str, path: str, route: Any
) -> None:
    raised = raisable(list(_calls(route.dependant)))
    documented = set(DOCUMENT["paths"][path][method.lower()]["responses"])
    missing = {e for e in raised if str(e.status_code) not in documented}

    assert {e.__name__ for e in missing} == set()


def test_the_walk_finds_the_errors_deep_in_the_services() -> None:
    """The heartbeat's errors come from the writer, its limits, its clock check and, through
    the writer thread's future, from the store."""
    heartbeat = next(r for m, p, r in ROUTES if p == "/api/v1/agents/heartbeat")

    names = {e.__name__ for e in raisable(list(_calls(heartbeat.dependant)))}

    assert {
        "Unauthorized",
        "Forbidden",
        "TimestampInFuture",
        "TooManyFilesystems",
        "CollectorErrorsTooLarge",
        "ServerLimitReached",
        "ServiceUnavailable",
    } <= names


# Past any integer column: SQLite cannot bind it and PostgreSQL refuses it; a route must answer 4xx.
HUGE = 2**70


def _types(schema: dict[str, Any]) -> set[str | None]:
    return {schema.get("type"), *(s.get("type") for s in schema.get("anyOf", []))}


def _value(schema: dict[str, Any]) -> object:
    """A valid value for a parameter that is not the one under test."""
    if "enum" in schema:
        return schema["enum"][0]
    if "integer" in _types(schema):
        return 1
    return "x"


def _integer_parameters() -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, operation, parameter name) of every integer path and query parameter."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("path", "query") and "integer" in _types(
                    parameter["schema"]
                ):
                    found.append((method.upper(), path, operation, parameter["name"]))
    return found


def test_a_huge_integer_in_any_path_or_query_parameter_is_a_4xx_never_a_500(
    client: TestClient,
) -> None:
    answers: dict[str, int] = {}
    checked = _integer_parameters()
    for method, path, operation, name in checked:
        url, query = path, dict[str, object]()
        for parameter in operation.get("parameters", []):
            value = HUGE if parameter["name"] == name else _value(parameter["schema"])
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(value))
            elif parameter["in"] == "query" and (
                parameter["name"] == name or parameter["required"]
            ):
                query[parameter["name"]] = value
        body: dict[str, object] | None = {} if "requestBody" in operation else None
        answer = client.request(method, url, params=query, json=body)
        answers[f"{method} {path} {name}"] = answer.status_code

    assert len(checked) >= 10  # the walk found the id parameters
    assert {route: code for route, code in answers.items() if not 400 <= code < 500} == {}
