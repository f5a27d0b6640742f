"""`--stats` on the commands that list or render tasks: weights, order, tickets, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.cli import main

EX = ["--bytecodes", "data/examples/bytecodes.c", "--optimizer", "data/examples/optimizer_bytecodes.c"]
FIXTURES = Path(__file__).parent.parent / "fixtures" / "pystats"
PIPE = str(FIXTURES / "toy-pipe.md")


def tasks_json(capsys, *args):
    assert main(["tasks", *EX, "--json", *args]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_tasks_are_weighed_and_listed_heaviest_first(capsys):
    data, err = tasks_json(capsys, "--stats", PIPE)
    ids = [t["id"] for t in data["tasks"]]
    assert ids[:5] == ["refcount:_ADD", "optimizer:_ADD", "split:IS",
                       "helper:_Toy_Float_FromDouble_ConsumeInputs", "refcount:_ADD_FLOAT"]
    first = data["tasks"][0]
    assert first["weight"] == pytest.approx(0.15) and first["weight_source"] == "uop _ADD in pystats of 2024-03-01"
    absent = next(t for t in data["tasks"] if t["id"] == "refcount:_STORE_ATTR_SLOT")
    assert absent["weight"] == 0 and absent["weight_source"].startswith("no execution counts")
    assert data["stats"]["label"] == "pystats of 2024-03-01" and data["stats"]["origin"] == PIPE
    missing = sum(1 for t in data["tasks"] if t["weight_source"].startswith("no execution counts"))
    assert f"{missing} of {len(ids)} tasks have no execution counts" in err


def test_the_table_shows_the_share_and_says_when_there_are_no_counts(capsys):
    assert main(["tasks", *EX, "--stats", PIPE, "--status", "open"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if ":" in line and ("refcount" in line or "optimizer" in line)]
    assert "share" in out and "by share of executed work (pystats of 2024-03-01 (0a1b2c3))" in out
    assert rows[0].split()[0] == "refcount:_ADD" and "15.0%" in rows[0]  # piped: plain columns
    assert "no execution counts" in next(r for r in rows if "refcount:_STORE_ATTR_SLOT" in r)


def test_no_stats_keeps_the_old_shape_and_sort_options(capsys):
    data, err = tasks_json(capsys, "--no-stats")
    assert "stats" not in data and all("weight" not in t for t in data["tasks"])
    assert [t["id"] for t in data["tasks"]][:3] == ["refcount:_ADD", "refcount:_ADD_STR", "refcount:_STORE_ATTR_SLOT"]
    assert "execution counts" not in err
    by_id, _ = tasks_json(capsys, "--stats", PIPE, "--sort", "id")
    assert [t["id"] for t in by_id["tasks"]] == sorted(t["id"] for t in by_id["tasks"])
    scan, _ = tasks_json(capsys, "--stats", PIPE, "--sort", "source")
    plain, _ = tasks_json(capsys, "--no-stats", "--sort", "source")
    assert [t["id"] for t in scan["tasks"]] == [t["id"] for t in plain["tasks"]]


def test_the_bundled_report_is_the_default(capsys):
    data, err = tasks_json(capsys, "--kind", "refcount")
    assert data["stats"]["origin"] == "bundled"
    assert data["stats"]["provenance"]["repository"] == "faster-cpython/benchmarking-public"
    call_type = next(t for t in data["tasks"] if t["id"] == "refcount:_CALL_TYPE_1")
    assert call_type["weight"] > 0 and "pystats of 2025-07-19" in call_type["weight_source"]
    assert "applied by name" in err


def test_a_bad_report_is_an_error_before_any_scan(capsys):
    assert main(["tasks", *EX, "--stats", str(FIXTURES / "bad-count.md")]) == 2
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'bad-count.md'}:42: the count of _ADD_STR is not a number" in err
    assert "Traceback" not in err
    assert main(["tui", "--stats", str(FIXTURES / "missing.md")]) == 2  # before the screen opens
    assert "pystats report not found" in capsys.readouterr().err


def test_a_report_given_as_a_url(capsys, httpserver):
    httpserver.expect_request("/run/pystats.json").respond_with_data(
        (FIXTURES / "toy-summarize.json").read_text(), content_type="application/json")
    data, _ = tasks_json(capsys, "--stats", httpserver.url_for("/run/pystats.json"), "--id", "tier2:TRACE_HERE")
    assert data["tasks"][0]["weight"] == pytest.approx(0.05)
    httpserver.expect_request("/run/missing.md").respond_with_data("gone", status=404)
    assert main(["tasks", *EX, "--stats", httpserver.url_for("/run/missing.md")]) == 2
    assert "HTTP 404" in capsys.readouterr().err


def test_tickets_say_how_often_the_uop_runs(tmp_path, capsys):
    out = tmp_path / "tickets"
    assert main(["tickets", *EX, "--out", str(out), "--state", str(tmp_path / "s.yaml"), "--stats", PIPE]) == 0
    add = (out / "refcount-_ADD.md").read_text()
    assert ("**How often it runs:** about 15.0% of all uops executed in the pyperformance suite "
            "(pystats of 2024-03-01).") in add
    assert "about 10.0% of all instructions executed" in (out / "split-IS.md").read_text()
    assert "has no execution counts for it" in (out / "refcount-_STORE_ATTR_SLOT.md").read_text()
    umbrella = (out / "umbrella-refcount.md").read_text()
    refcount = umbrella.split("## refcount")[1].split("##")[0]
    lines = [line for line in refcount.splitlines() if line.startswith("- [")]
    assert lines[0].startswith("- [ ] `_ADD` (15.0%)") and lines[1].startswith("- [ ] `_ADD_FLOAT` (10.0%)")
    assert "`_STORE_ATTR_SLOT` (no counts)" in refcount
    assert "pystats of 2024-03-01 (0a1b2c3)" in umbrella
    plain = tmp_path / "plain"
    assert main(["tickets", *EX, "--out", str(plain), "--state", str(tmp_path / "s.yaml"), "--no-stats"]) == 0
    assert "How often it runs" not in (plain / "refcount-_ADD.md").read_text()
