"""bench/web_speed.py on a small synthetic database: it builds, every page answers, and it reports
times and weights."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

BENCH = Path(__file__).resolve().parent.parent / "bench" / "web_speed.py"


def test_small_run_times_every_page(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("web_speed", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    status = bench.main(["--quotes", "3000", "--articles", "300", "--speakers", "100", "--repeat", "1",
                         "--db", str(tmp_path / "web.db"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == int(any(p["median_ms"] > bench.BUDGET_MS for p in result["pages"]))
    urls = [p["url"] for p in result["pages"]]
    for prefix in ("/quotes?q=", "/who-said", "/articles/", "/speakers/", "/organizations/", "/countries/"):
        assert any(u.startswith(prefix) for u in urls), prefix
    assert all(p["html_bytes"] > p["gzip_bytes"] > 0 for p in result["pages"])
    assert "/static/style.css" in result["assets"]
    assert all(ms > 0 for ms in result["baselines_ms"].values())
    assert all(p["x_bare_query"] > 0 for p in result["pages"])
