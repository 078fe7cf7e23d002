"""The package's layout holds: stages import only earlier stages, and heavy libraries stay where they belong.

Read from the source with ``ast`` (every import, inside functions too), so nothing is imported to check.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quotes"

#: The stages in the order data flows through them; a stage may import itself and the ones before it.
STAGES = ("reading", "extraction", "entities", "pipeline", "store", "query", "web", "cli", "api")
#: Modules every stage may use, which import no stage themselves.
FOUNDATION = ("quotes", "quotes.config", "quotes.records", "quotes.startup")
#: Third-party packages each allowed only in some stages.
CONFINED = {
    "sqlalchemy": {"store", "query"},
    "alembic": {"store"},
    "click": {"cli"},
    # the web application's framework and server stay in the web package
    "fastapi": {"web"},
    "starlette": {"web"},
    "uvicorn": {"web"},
    "jinja2": {"web"},
    "pydantic": {"web"},
}
#: Stages that never import spaCy, even inside a function: queries and the store start fast.
NO_SPACY = {"reading", "store", "query", "web"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(absolute module, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # "from quotes.store import lookup" imports the submodule quotes.store.lookup
            found += [(f"{module}.{alias.name}" if (PACKAGE.parent / module.replace(".", "/") / alias.name).exists()
                       or (PACKAGE.parent / module.replace(".", "/") / f"{alias.name}.py").exists() else module,
                       id(node) in top) for alias in node.names]
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "quotes" and parts[1] in STAGES else None


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_in_a_stage_or_the_foundation():
    loose = [module_name(p) for p in MODULES
             if stage_of(module_name(p)) is None and module_name(p) not in FOUNDATION + ("quotes.__main__",)]
    assert not loose, f"modules outside the stages: {loose}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_run_from_later_stages_to_earlier_ones(path):
    name = module_name(path)
    own = stage_of(name)
    for module, at_top in imports(path):
        target = stage_of(module)
        if target is None:
            continue
        if name == "quotes.__main__":
            assert target == "cli"
        elif name == "quotes":  # the package's face: the public API, imported lazily
            assert target == "api" and not at_top, f"quotes/__init__ imports {module}"
        elif own is None:
            pytest.fail(f"{name} (foundation) imports the stage module {module}")
        else:
            assert STAGES.index(target) <= STAGES.index(own), f"{name} ({own}) imports {module} ({target}), a later stage"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_heavy_libraries_stay_in_their_stages(path):
    name = module_name(path)
    own = stage_of(name)
    for module, at_top in imports(path):
        library = module.split(".")[0]
        if library in CONFINED:
            assert own in CONFINED[library], f"{name} imports {library}, which belongs to {sorted(CONFINED[library])}"
        if library == "spacy":
            assert own not in NO_SPACY, f"{name} imports spaCy"
            assert own != "cli" or not at_top, f"{name} imports spaCy at start-up"


def test_query_and_store_reach_no_spacy_through_their_imports():
    """Following module-level imports from the store, the queries and the web never reaches spaCy."""
    by_name = {module_name(p): p for p in MODULES}
    start = [n for n in by_name if stage_of(n) in ("store", "query", "web")]
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for module, at_top in imports(by_name[name]):
            assert module.split(".")[0] != "spacy" or not at_top, f"{name} imports spaCy at module level"
            parts = module.split(".")
            # importing quotes.a.b runs quotes/__init__, quotes/a/__init__ and quotes/a/b
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in by_name and at_top:
                    todo.append(prefix)
    assert "quotes.entities.countries" in seen  # the one entity module they use, which is spaCy-free


def test_the_package_names_only_the_public_api():
    """``import quotes`` re-exports the api stage (and the foundation's records), nothing deeper."""
    import quotes

    assert {where.rpartition(".")[0] if where.startswith("quotes.api.") else where
            for where in quotes._LAZY.values()} == {"quotes.api", "quotes.records"}
    assert sorted(quotes.__all__) == sorted(set(quotes._LAZY) | {"__version__"})
