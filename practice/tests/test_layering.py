"""The layout STYLE.md describes, checked on the source: which module may import what, where
error codes and audit calls live, and that no two files import each other in a cycle."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from practice.api.serializers import error_codes

ROOT = Path(__file__).resolve().parents[2]
#: Dependencies point one way: an app imports only the apps before it.
APPS = ["practice", "scheduling", "clinical", "analytics"]
DOMAIN_ERRORS = {
    "DomainError",
    "ValidationFailed",
    "NotFoundError",
    "PermissionDeniedError",
    "ConflictError",
    "AuthenticationError",
    "AccountLockedError",
}


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, anywhere in the file (function-level imports too)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _local(imported: str) -> str | None:
    while imported and imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported or None


IMPORTS = {name: _imports(name) for name in MODULES}


def _is_layer(name: str, layer: str) -> bool:
    """``scheduling.services.no_show`` and ``practice.services`` are services."""
    return name.split(".")[1:2] == [layer]


@pytest.mark.parametrize("layer", ["services", "selectors"])
def test_services_and_selectors_import_no_http_layer(layer):
    offenders = {
        name: sorted(i for i in imported if i.startswith(("rest_framework", "practice.api", "drf_spectacular")))
        for name, imported in IMPORTS.items()
        if _is_layer(name, layer)
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_services_import_no_serializer():
    offenders = {
        name: sorted(i for i in imported if ".serializers" in i)
        for name, imported in IMPORTS.items()
        if _is_layer(name, "services")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_apps_import_only_the_apps_before_them():
    upward = sorted(
        (name, imported)
        for name, imports in IMPORTS.items()
        for imported in imports
        if imported.split(".")[0] in APPS and APPS.index(imported.split(".")[0]) > APPS.index(name.split(".")[0])
    )
    assert upward == []


def test_no_import_cycle_between_files():
    graph = defaultdict(set)
    for name, imports in IMPORTS.items():
        for imported in imports:
            target = _local(imported)
            if target and target != name:
                graph[name].add(target)
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def _calls(name: str):
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            yield node, func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None), func


def test_domain_errors_are_raised_with_enum_codes_not_strings():
    bare = []
    for name in MODULES:
        for node, called, func in _calls(name):
            if called in DOMAIN_ERRORS:
                code = node.args[0] if node.args else None
            elif called == "for_field" and getattr(func.value, "id", None) == "ValidationFailed":
                code = node.args[2] if len(node.args) > 2 else None
            else:
                continue
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                bare.append(f"{name}:{node.lineno} {code.value}")
    assert bare == []


def test_error_codes_are_unique_across_apps():
    codes = error_codes()
    assert len(codes) == len(set(codes))
    assert {"validation_error", "appointment_overlap", "session_not_in_progress", "account_locked"} <= set(codes)


def test_views_write_no_audit_entries_themselves():
    offenders = [
        f"{name}:{node.lineno}"
        for name in MODULES
        if _is_layer(name, "views")
        for node, called, _ in _calls(name)
        if called in ("audit_log", "audit_record_view", "AuditTarget")
    ]
    assert offenders == []


def test_only_the_appointment_service_reads_the_status_state_machine():
    readers = [
        name
        for name, path in MODULES.items()
        if "TRANSITIONS" in path.read_text() and name != "scheduling.services.appointments"
    ]
    assert readers == []
