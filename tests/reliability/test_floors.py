"""The constraints file CI's floors job installs pins exactly the lower bounds that pyproject.toml states."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.version import Version  # pytest's own dependency

ROOT = Path(__file__).resolve().parents[2]


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_floor_is_pinned_in_the_floors_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*(.*)", spec)
        name, bounds = m.groups()
        lower = re.search(r"(?:>=|==)\s*([^,\s]+)", bounds)
        assert lower, f"{spec}: no lower bound"
        floors[_canon(name)] = Version(lower.group(1))
    pinned = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[_canon(name)] = Version(version.strip())
    exact = {name for name, spec in zip(floors, project["dependencies"] + project["optional-dependencies"]["test"])
             if "==" in spec}
    assert {n: v for n, v in floors.items() if n not in exact} == pinned
