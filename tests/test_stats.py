"""Execution counts (pystats): reading reports in their formats, weighing tasks, errors.

The reports under tests/fixtures/pystats are made up for the toy instruction set of
data/examples (the same counts in each format):

- uops (10,000 in all): _ADD 1,500; _ADD_FLOAT 900 + its variant _ADD_FLOAT__NO_DECREF_INPUTS
  100; IS 600 (an older report's name, without the underscore); _ADD_STR 500; _LOAD_LEN 300 +
  its replica _LOAD_LEN_0 200; _CALL_TYPE_1 200; _BUILD_PAIRS 100; _SET_IP and _GUARD_X the rest.
- instructions (1,000 in all): ADD 400, LOAD_LEN 250, ADD_STR 200, IS 100, TRACE_HERE 50.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker import rules, sources, stats
from tracker.errors import TrackerError
from tracker.tasks import priority_key

FIXTURES = Path(__file__).parent / "fixtures" / "pystats"
EXAMPLES = Path(__file__).parent.parent / "data" / "examples"
REPORTS = ["toy-pipe.md", "toy-html.md", "toy-summarize.json"]


def toy_tasks():
    return rules.scan(sources.from_files(EXAMPLES / "bytecodes.c", EXAMPLES / "optimizer_bytecodes.c"))


@pytest.mark.parametrize("name", REPORTS)
def test_every_format_reads_the_same_counts(name):
    report = stats.load(FIXTURES / name)
    assert report.uop_total == 10_000 and report.instruction_total == 1_000
    assert report.uops["_ADD"] == 1_500 and report.instructions["TRACE_HERE"] == 50
    # pair counts are not execution counts, whatever table they sit in
    assert "_SET_IP _ADD" not in report.uops and "ADD IS" not in report.instructions
    assert report.uop_count("_ADD_FLOAT") == 1_000  # with its tier-2 variant
    assert report.uop_count("_LOAD_LEN") == 500  # with its oparg replica
    assert report.uop_count("_IS") == 600  # found without its underscore
    assert report.uop_count("_CALL_TYPE_1") == 200  # a name ending in a digit is its own uop
    assert report.uop_count("_STORE_ATTR_SLOT") is None


@pytest.mark.parametrize("name", ["toy-pipe.md", "toy-html.md"])
def test_markdown_reports_carry_their_provenance(name):
    report = stats.load(FIXTURES / name)
    assert report.provenance["cpython_commit"] == "0a1b2c3"
    assert report.label == "pystats of 2024-03-01"
    assert report.describe() == "pystats of 2024-03-01 (0a1b2c3)"


@pytest.mark.parametrize("name", REPORTS)
def test_weights_and_their_sources(name):
    ts = toy_tasks()
    coverage = stats.weigh(ts.tasks, stats.load(FIXTURES / name))
    w = {t.id: t.weight for t in ts.tasks}
    assert w["refcount:_ADD"] == w["optimizer:_ADD"] == pytest.approx(0.15)
    assert w["refcount:_ADD_FLOAT"] == pytest.approx(0.10)
    assert w["refcount:_IS"] == pytest.approx(0.06)
    assert w["split:IS"] == pytest.approx(0.10)  # an instruction task: of instructions executed
    assert w["tier2:TRACE_HERE"] == pytest.approx(0.05)
    # a helper weighs what the tasks waiting for it weigh
    assert w["helper:_Toy_Float_FromDouble_ConsumeInputs"] == pytest.approx(0.10)
    assert w["helper:_Toy_Tuple_FromStackRefStealOnSuccess"] == pytest.approx(0.01)
    by_id = ts.by_id()
    assert by_id["refcount:_ADD"].weight_source.startswith("uop _ADD in pystats")
    assert by_id["split:IS"].weight_source.startswith("instruction IS in pystats")
    absent = by_id["refcount:_STORE_ATTR_SLOT"]
    assert absent.weight == 0 and absent.weight_source.startswith("no execution counts for uop _STORE_ATTR_SLOT")
    assert "refcount:_STORE_ATTR_SLOT" in coverage.missing and "refcount:_ADD" not in coverage.missing
    assert coverage.total == len(ts.tasks) and coverage.covered == len(ts.tasks) - len(coverage.missing)


def test_heaviest_first_then_ready_and_easy():
    ts = toy_tasks()
    stats.weigh(ts.tasks, stats.load(FIXTURES / "toy-pipe.md"))
    from tracker.graph import ready

    order = [t.id for t in sorted(ts.tasks, key=priority_key(ready(ts)))]
    assert order[:8] == [
        "refcount:_ADD", "optimizer:_ADD",  # 15%: refcount before optimizer
        "split:IS", "helper:_Toy_Float_FromDouble_ConsumeInputs",  # 10%: easy before medium
        "refcount:_ADD_FLOAT",  # 10%, waiting for the helper
        "optimizer:_ADD_FLOAT",  # 10%, done
        "optimizer:_IS", "refcount:_IS",  # 6%: ready first
    ]
    assert order[-1] == "optimizer:_ADD_INT"  # no counts, done, medium


def test_without_weights_the_order_is_ready_then_easy():
    ts = toy_tasks()
    from tracker.graph import ready

    order = [t.id for t in sorted(ts.tasks, key=priority_key(ready(ts)))]
    assert order[:4] == ["refcount:_ADD", "refcount:_ADD_STR", "refcount:_STORE_ATTR_SLOT", "optimizer:_ADD"]
    assert order[-1] == "optimizer:_ADD_INT"


def test_a_malformed_count_names_the_file_and_line():
    with pytest.raises(TrackerError) as err:
        stats.load(FIXTURES / "bad-count.md")
    assert str(err.value).startswith(f"{FIXTURES / 'bad-count.md'}:42: the count of _ADD_STR is not a number: '5O0'")
    assert err.value.exit_code == 2


def test_a_malformed_json_names_the_file_line_and_column():
    with pytest.raises(TrackerError) as err:
        stats.load(FIXTURES / "bad-syntax.json")
    assert str(err.value).startswith(f"{FIXTURES / 'bad-syntax.json'}:24:37: not valid JSON")


def test_a_wrong_value_in_json_names_its_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "uops[_ADD].execution_count": 3,\n  "uops[_IS].execution_count": "many"\n}\n')
    with pytest.raises(TrackerError, match=r"bad.json:3: uops\[_IS\].execution_count must be a count"):
        stats.load(bad)


@pytest.mark.parametrize("text, message", [
    ("# Nothing here\n\nJust prose.\n", "no uop or instruction execution counts found"),
    ('{"answer": 42}\n', "no execution counts in this JSON"),
    ("## Execution counts\n\n|Name | Base Count | Head Count | Change |\n|---|---:|---:|---:|\n| ADD | 1 | 2 | 100% |\n",
     ":3: this is a comparison of two runs"),
    ("## Execution counts\n\n<table>\n<thead>\n<tr>\n<th>Name</th>\n<th>Count</th>\n</tr>\n</thead>\n"
     "<tbody>\n<tr>\n<td>ADD</td>\n<td>12</td>\n</tr>\n", "table is not closed"),
    ("### Uop stats\n\n|Uop | Count | Self | Cumulative |\n|---|---:|---:|---:|\n| _ADD | 12 |\n",
     ":5: row has 2 cells, the header 4"),
])
def test_other_bad_reports_say_what_is_wrong(tmp_path, text, message):
    bad = tmp_path / "report.md"
    bad.write_text(text)
    with pytest.raises(TrackerError, match=message.replace("(", r"\(")):
        stats.load(bad)


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(TrackerError, match="pystats report not found") as err:
        stats.load(tmp_path / "nope.md")
    assert err.value.exit_code == 2


def test_facts_round_trip_and_notice_for_another_version(tmp_path):
    report = stats.load(FIXTURES / "toy-pipe.md")
    report.provenance["python_version"] = "3.14.0"
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(report.to_json()))
    again = stats.load(facts)
    assert again.uops == report.uops and again.instructions == report.instructions
    assert again.to_json()["uops"]["_ADD"] == [1500, 0.15]
    ts = toy_tasks()
    coverage = stats.weigh(ts.tasks, again)
    notice = coverage.notice(again, "3.15.0a0")
    assert f"{len(coverage.missing)} of {len(ts.tasks)} tasks have no execution counts" in notice
    assert "a report of CPython 3.14.0 applied by name to sources of 3.15.0a0" in notice


def test_bundled_report_is_facts_with_provenance():
    report = stats.load_bundled()
    p = report.provenance
    assert p["repository"] == "faster-cpython/benchmarking-public" and p["path"].endswith("-pystats.md")
    assert len(p["commit"]) == 40 and p["python_version"].startswith("3.15") and p["date"].startswith("2025-")
    raw = json.loads(stats.BUNDLED.read_text())
    assert raw["totals"] == {"uops": report.uop_total, "instructions": report.instruction_total}
    # every share is its count over the total
    for name, (count, share) in raw["uops"].items():
        assert share == pytest.approx(count / report.uop_total, rel=1e-5)
    assert report.uop_count("_GUARD_NOS_INT") and report.instruction_count("CALL_LEN")


@pytest.mark.parametrize("weight, text", [
    (None, ""), (0.0, "0%"), (0.015, "1.5%"), (0.001, "0.1%"), (0.00034, "0.034%"), (0.0000123, "0.0012%")])
def test_share_format(weight, text):
    assert stats.format_share(weight) == text


# ------------------------------------------------------------------------ over HTTP

def test_report_from_a_url(httpserver):
    httpserver.expect_request("/results/run-pystats.md").respond_with_data(
        (FIXTURES / "toy-html.md").read_text(), content_type="text/markdown")
    report = stats.load(httpserver.url_for("/results/run-pystats.md"))
    assert report.uop_total == 10_000 and report.origin.endswith("/results/run-pystats.md")


def test_url_not_found_is_a_clear_error(httpserver):
    httpserver.expect_request("/gone.md").respond_with_data("no", status=404)
    with pytest.raises(TrackerError, match="HTTP 404") as err:
        stats.load(httpserver.url_for("/gone.md"))
    assert err.value.exit_code == 2


def test_unreachable_url_says_offline():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TrackerError, match="cannot download the pystats report") as err:
        stats.load(f"http://127.0.0.1:{port}/report.md")
    assert "offline" in str(err.value)


def test_github_page_links_are_read_from_the_raw_file():
    assert stats._raw_github("https://github.com/o/r/blob/main/results/x.md") == \
        "https://raw.githubusercontent.com/o/r/main/results/x.md"
    assert stats._raw_github("https://example.org/x.md") == "https://example.org/x.md"


# ------------------------------------------------------------------------ scripts/make-pystats

def test_make_pystats_writes_facts_with_provenance(tmp_path):
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "scripts" / "make-pystats"
    out = tmp_path / "pystats.json"
    done = subprocess.run([sys.executable, str(script), str(FIXTURES / "toy-html.md"), "--out", str(out),
                           "--repository", "example/benchmarks", "--path", "results/run-pystats.md",
                           "--commit", "f" * 40, "--python-version", "3.14.0"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "11 uops, 5 instructions" in done.stdout
    raw = json.loads(out.read_text())
    assert raw["format"] == "jit-tracker-pystats" and raw["totals"] == {"uops": 10_000, "instructions": 1_000}
    assert raw["provenance"]["repository"] == "example/benchmarks"
    assert raw["provenance"]["cpython_commit"] == "0a1b2c3" and raw["provenance"]["python_version"] == "3.14.0"
    assert list(raw["uops"])[:2] == ["_SET_IP", "_GUARD_X"] and raw["uops"]["_ADD"] == [1500, 0.15]
    assert stats.load(out).uop_count("_LOAD_LEN") == 500
    bad = subprocess.run([sys.executable, str(script), str(FIXTURES / "bad-count.md"), "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "bad-count.md:42:" in bad.stderr
    assert json.loads(out.read_text()) == raw  # a failed run leaves the previous file
