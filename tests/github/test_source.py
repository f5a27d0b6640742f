"""CPython's definitions read from GitHub over real HTTP (pytest-httpserver stands in).

Covers the live source end to end through the CLI: contents fetched and cached by blob
id, reruns at an unchanged commit, offline / rate-limited / unknown fallbacks with their
one-line messages, unauthenticated reads, the token never in output or files, and the
newest data at hand chosen by default.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker import livescan, snapshot
from tracker.cli.main import main
from tracker.errors import UsageError
from tracker.github import source as gh

from .fake import Fault, FakeGitHub

ROOT = Path(__file__).resolve().parents[2]
BC = (ROOT / "data" / "examples" / "bytecodes.c").read_bytes()
OPT = (ROOT / "data" / "examples" / "optimizer_bytecodes.c").read_bytes()
# the optimizer gains an abstract case for _LOAD_LEN: its optimizer task becomes done
LOAD_LEN_CASE = b"op(_LOAD_LEN, (obj -- obj, len)) {\n    len = sym_new_not_null(ctx);\n}\n\n"
OPT_LATER = OPT.replace(b"// END BYTECODES //", LOAD_LEN_CASE + b"// END BYTECODES //")
NEW_OP = (b"        op(_TOY_NEW, (value -- res)) {\n            res = value;\n        }\n\n"
          b"        macro(TOY_NEW) = _TOY_NEW;\n\n")
BC_LATER = BC.replace(b"        macro(LOAD_LEN) = _LOAD_LEN;\n",
                      b"        macro(LOAD_LEN) = _LOAD_LEN;\n\n" + NEW_OP)
TOKEN = "ghp_s3cretT0kenNeverShown42"


def files(bc: bytes = BC, opt: bytes = OPT) -> dict[str, bytes]:
    return {"Python/bytecodes.c": bc, "Python/optimizer_bytecodes.c": opt, "Python/ceval.c": b"/* other */"}


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gh, "BACKOFF", 0.0)  # retries without waiting
    return FakeGitHub(httpserver)


@pytest.fixture
def cache() -> Path:
    return Path(os.environ["JIT_TRACKER_CACHE_DIR"])


def closed_port_url() -> str:
    """A URL on which nothing listens: connections are refused, as when offline."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/api/v3"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tasks_json(capsys, fake, *extra: str) -> tuple[int, dict, str]:
    code, out, err = run(capsys, "tasks", "--github", *extra, "--base-url", fake.base_url, "--json")
    return code, json.loads(out) if out.strip() else {}, err


def ours(err: str) -> list[str]:
    """stderr's lines without the execution counts' coverage notice (not this feature's)."""
    return [line for line in err.splitlines() if "pystats" not in line]


def ids(data: dict) -> dict[str, str]:
    return {t["id"]: t["status"] for t in data["tasks"]}


# ---------------------------------------------------------------------------- reading

def test_spec_parsing():
    assert str(gh.Spec.parse(None)) == "python/cpython@main"
    assert gh.Spec.parse("octo/fork@3.14") == gh.Spec("octo/fork", "3.14")
    assert gh.Spec.parse("octo/fork@feature/x").ref == "feature/x"
    for bad in ("cpython", "a/b/c", "octo/fork@", "https://github.com/python/cpython"):
        with pytest.raises(UsageError, match="OWNER/NAME"):
            gh.Spec.parse(bad)


def test_contents_fetched_scanned_and_cached(fake, capsys, cache):
    sha = fake.add_commit(files())
    code, data, err = tasks_json(capsys, fake)
    assert code == 0
    assert ids(data)["refcount:_ADD"] == "open" and ids(data)["optimizer:_LOAD_LEN"] == "open"
    source = data["source"]
    assert (source["origin"], source["revision"], source["ref"]) == ("github:python/cpython@main", sha, "main")
    assert source["date"] == "2026-11-20T10:00:00Z" and source["repository"] == "python/cpython"
    # the provenance line on stderr: tree, short sha, date, age, how obtained
    assert f"CPython main {sha[:7]}, 2026-11-20," in err and "(live scan of python/cpython@main)" in err
    assert len(ours(err)) == 1
    # excerpts come from the fetched text, as after a checkout scan
    add = next(t for t in data["tasks"] if t["id"] == "refcount:_ADD")
    assert add["file"] == "Python/bytecodes.c" and add["line"] == 56
    # blobs are kept by id in the cache directory
    blobs = {p.name for p in (cache / "github-blobs").iterdir()}
    assert blobs == {gh.blob_id(BC), gh.blob_id(OPT)}
    assert len(fake.content_requests()) == 3  # one listing, two blobs; ceval.c never downloaded


def test_second_run_at_the_same_commit_requests_the_ref_only(fake, capsys):
    fake.add_commit(files())
    _, first, _ = tasks_json(capsys, fake)
    fake.requests.clear()
    code, second, _ = tasks_json(capsys, fake)
    assert code == 0 and ids(second) == ids(first)
    assert fake.content_requests() == []
    assert [p for _, p in fake.requests] == ["/repos/python/cpython/commits/main"]


def test_a_new_commit_with_the_same_files_downloads_no_blob(fake, capsys):
    fake.add_commit(files())
    tasks_json(capsys, fake)
    later = fake.add_commit(files(), date="2026-11-25T08:00:00Z")
    fake.requests.clear()
    code, data, err = tasks_json(capsys, fake)
    assert code == 0 and data["source"]["revision"] == later and later[:7] in err
    assert [p for _, p in fake.content_requests()] == ["/repos/python/cpython/contents/Python"]


def test_a_changed_file_downloads_only_that_blob(fake, capsys):
    fake.add_commit(files())
    tasks_json(capsys, fake)
    fake.add_commit(files(opt=OPT_LATER), date="2026-11-25T08:00:00Z")
    fake.requests.clear()
    _, data, _ = tasks_json(capsys, fake)
    assert ids(data)["optimizer:_LOAD_LEN"] == "done"
    blobs = [p for _, p in fake.content_requests() if "/git/blobs/" in p]
    assert blobs == [f"/repos/python/cpython/git/blobs/{gh.blob_id(OPT_LATER)}"]


def test_a_ref_and_a_fork(fake, capsys):
    sha = fake.add_commit(files(), repo="octo/cpython", ref="3.15")
    code, data, err = tasks_json(capsys, fake, "octo/cpython@3.15")
    assert code == 0 and data["source"]["revision"] == sha
    assert "CPython 3.15" in err and "(live scan of octo/cpython@3.15)" in err


def test_reads_without_a_token(fake, capsys):
    fake.add_commit(files())
    code, _, _ = tasks_json(capsys, fake)
    assert code == 0 and fake.requests and fake.authorization == set()


def test_the_token_is_sent_but_never_shown_or_stored(fake, capsys, monkeypatch, cache, tmp_path):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    fake.add_commit(files())
    code, out, err = run(capsys, "tasks", "--github", "--base-url", fake.base_url, "--json")
    assert code == 0 and fake.authorization == {f"token {TOKEN}"}
    # and when GitHub rejects it, the message names the variable, not the value
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN + "-bad-token")
    code2, out2, err2 = run(capsys, "tasks", "--github", "--base-url", fake.base_url, "--json")
    assert code2 == 0 and "rejected the token in $GITHUB_TOKEN" in err2
    code3, out3, err3 = run(capsys, "update", "--base-url", fake.base_url)
    assert code3 == 1 and "rejected the token" in err3
    state = tmp_path / "state.yaml"
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    code4, out4, err4 = run(capsys, "claim", "refcount:_ADD", "--by", "ada", "--state", str(state),
                            "--github", "--base-url", fake.base_url)
    assert code4 == 0, err4
    for text in (out, err, out2, err2, out3, err3, out4, err4):
        assert TOKEN not in text
    for path in [*cache.rglob("*"), *tmp_path.rglob("*")]:
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


# ---------------------------------------------------------------------------- fallbacks

def test_offline_without_any_cache_shows_the_bundled_snapshot(capsys):
    code, out, err = run(capsys, "tasks", "--github", "--base-url", closed_port_url(), "--json")
    assert code == 0
    bundled = snapshot.load_bundled()
    assert {t["id"] for t in json.loads(out)["tasks"]} == {t.id for t in bundled.tasks}
    assert len(ours(err)) == 1
    assert ours(err)[0].startswith("jit-tracker: GitHub is unreachable (offline?); showing CPython")
    assert "(bundled snapshot) instead" in err


def test_offline_shows_the_last_live_scan(fake, capsys):
    sha = fake.add_commit(files(opt=OPT_LATER))
    tasks_json(capsys, fake)
    code, out, err = run(capsys, "tasks", "--github", "--base-url", closed_port_url(), "--json")
    assert code == 0 and ids(json.loads(out))["optimizer:_LOAD_LEN"] == "done"
    assert "GitHub is unreachable (offline?); showing CPython main " + sha[:7] in err
    assert "(last live scan of python/cpython@main, fetched " in err and len(ours(err)) == 1


def test_rate_limited_says_so_and_falls_back(fake, capsys):
    fake.add_commit(files())
    tasks_json(capsys, fake)
    fake.faults.append(Fault("GET", r"/repos/python/cpython/commits/main", "ratelimit", times=5))
    code, data, err = tasks_json(capsys, fake)
    assert code == 0 and ids(data)["refcount:_ADD"] == "open"
    assert "GitHub's rate limit is used up; showing CPython main" in err
    assert "(last live scan of python/cpython@main" in err


def test_server_errors_are_retried_then_fall_back(fake, capsys):
    fake.add_commit(files())
    fake.faults.append(Fault("GET", r"/repos/python/cpython/commits/main", "500", times=1))
    code, data, err = tasks_json(capsys, fake)  # one 500, then an answer: no fallback
    assert code == 0 and data["source"]["origin"] == "github:python/cpython@main"
    fake.faults.append(Fault("GET", r"/repos/python/cpython/commits/main", "500", times=9))
    code, data, err = tasks_json(capsys, fake)
    assert code == 0 and "GitHub is not answering (server errors); showing CPython main" in err


@pytest.mark.parametrize("spec, expected", [
    ("nobody/nothing", "nobody/nothing@main: no such repository or ref on GitHub"),
    ("python/cpython@no-such-branch", "python/cpython@no-such-branch: no such repository or ref"),
])
def test_unknown_repository_or_ref(fake, capsys, spec, expected):
    fake.add_commit(files())
    code, data, err = tasks_json(capsys, fake, spec)
    assert code == 0 and data["tasks"]
    assert expected in err and "(bundled snapshot) instead" in err


def test_nothing_to_show_is_an_error(capsys):
    """scan needs the definitions themselves: with GitHub out of reach it fails, clearly."""
    code, out, err = run(capsys, "scan", "--github", "--base-url", closed_port_url())
    assert code == 1 and out == ""
    assert err == "jit-tracker: error: GitHub is unreachable (offline?)\n"


def test_a_repository_without_the_definitions(fake, capsys):
    fake.add_commit({"Python/ceval.c": b"x"}, repo="octo/other")
    code, out, err = run(capsys, "scan", "--github", "octo/other", "--base-url", fake.base_url)
    assert code == 1 and "octo/other has no Python/bytecodes.c" in err and "Traceback" not in err


def test_github_and_a_checkout_together_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "tasks", str(tmp_path), "--github")
    assert code == 2 and "give one source" in err


@pytest.mark.parametrize("argv", [
    ["tasks", "--ready"], ["instructions", "--not-tier2", "--json"], ["graph", "--format", "dot"],
    ["scan", "--json"],
])
def test_every_command_that_reads_cpython_takes_github(fake, capsys, tmp_path, argv):
    sha = fake.add_commit(files())
    code, out, err = run(capsys, *argv, "--github", "--base-url", fake.base_url)
    assert code == 0, err
    assert out.strip()
    assert ("GET", "/repos/python/cpython/commits/main") in fake.requests
    if argv[0] != "scan":  # scan prints its own header with the revision
        assert f"CPython main {sha[:7]}" in err
    else:
        assert json.loads(out)["source"]["revision"] == sha


def test_tickets_from_github(fake, capsys, tmp_path):
    fake.add_commit(files())
    code, out, err = run(capsys, "tickets", "--github", "--base-url", fake.base_url, "--out", str(tmp_path / "t"))
    assert code == 0, err
    umbrella = (tmp_path / "t" / "umbrella-refcount.md").read_text()
    assert "Data: CPython main " in umbrella and "(live scan of python/cpython@main)" in umbrella
    assert "days old" not in umbrella  # no age: it would change the issue every day


# ---------------------------------------------------------------------------- newest at hand

def test_default_is_the_cached_live_scan_when_newer(fake, capsys):
    sha = fake.add_commit(files(opt=OPT_LATER))
    tasks_json(capsys, fake)
    code, out, err = run(capsys, "tasks", "--json")
    assert code == 0 and ids(json.loads(out))["optimizer:_LOAD_LEN"] == "done"
    assert f"CPython main {sha[:7]}, 2026-11-20" in err and "last live scan" in err


def test_default_is_the_bundled_snapshot_when_the_cache_is_older(fake, capsys):
    fake.add_commit(files(), date="2020-01-01T00:00:00Z")
    tasks_json(capsys, fake)
    code, out, err = run(capsys, "tasks", "--json")
    assert code == 0 and "(bundled snapshot)" in err
    assert len(json.loads(out)["tasks"]) == len(snapshot.load_bundled().tasks)


def test_a_damaged_cache_is_ignored_with_a_notice(capsys, cache):
    livescan.path().parent.mkdir(parents=True, exist_ok=True)
    livescan.path().write_text('{"format": "jit-tracker-live-scan", "version": 1, "tasks": [{"id"')
    code, out, err = run(capsys, "tasks", "--json")
    assert code == 0 and json.loads(out)["tasks"]
    assert "cached live scan" in err and "damaged; ignored" in err and "(bundled snapshot)" in err


def test_cached_scan_is_rescanned_when_the_rules_change(fake, capsys, monkeypatch):
    fake.add_commit(files())
    tasks_json(capsys, fake)
    doc = json.loads(livescan.path().read_text())
    doc["tasks"] = doc["tasks"][:1]  # what older rules found
    doc["fingerprint"] = "older-rules"
    livescan.path().write_text(json.dumps(doc))
    ts, notices = livescan.newest()
    assert notices == [] and len(ts.tasks) > 1  # scanned again from the cached blobs


# ---------------------------------------------------------------------------- update

def test_update_says_what_changed(fake, capsys):
    fake.add_commit(files(), date="2026-11-20T10:00:00Z")
    code, out, err = run(capsys, "update", "--base-url", fake.base_url)
    assert code == 0 and out.startswith("updated: CPython main ")
    # the bundled snapshot's tasks are not the toy's: compare two live scans instead
    fake.add_commit(files(bc=BC_LATER, opt=OPT_LATER), date="2026-11-27T10:00:00Z")
    code, out, err = run(capsys, "update", "--base-url", fake.base_url, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["changes"]["done"] == ["optimizer:_LOAD_LEN"]
    assert "optimizer:_TOY_NEW" in data["changes"]["opened"]
    assert data["summary"].startswith("1 task done since 2026-11-20, ")
    assert data["since"] == "2026-11-20T10:00:00Z"


def test_update_offline_keeps_what_is_there(capsys):
    code, out, err = run(capsys, "update", "--base-url", closed_port_url())
    assert code == 1 and out == ""
    assert "GitHub is unreachable (offline?); nothing updated, commands keep showing CPython" in err


# A construct no CPython has, and a tree that cannot be read at all (a body never closed).
BC_FUTURE = BC.replace(b"        macro(LOAD_LEN) = _LOAD_LEN;\n",
                       b"        macro(LOAD_LEN) = _LOAD_LEN;\n\n"
                       b"        gadget(_TOY_GADGET, [value => res]) {\n            res = value;\n        }\n\n")
BC_UNREADABLE = BC.replace(b"// END BYTECODES //", b"op(_OPEN, (x --)) {\n// END BYTECODES //")


def test_update_of_a_tree_with_a_construct_no_cpython_has_skips_that_definition(fake, capsys):
    fake.add_commit(files(bc=BC_FUTURE), date="2026-11-20T10:00:00Z")
    code, out, err = run(capsys, "update", "--base-url", fake.base_url, "--json")
    assert code == 0
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("Python/bytecodes.c:") and "skipped gadget _TOY_GADGET (lines" in warnings[0]
    data = json.loads(out)
    assert data["source"]["warnings"][0]["skipped"].startswith("gadget _TOY_GADGET")
    # every later command on that scan says it too
    code, listing, err = tasks_json(capsys, fake)
    assert code == 0 and listing["tasks"]
    assert any("skipped gadget _TOY_GADGET" in line for line in err.splitlines())


def test_update_keeps_the_last_good_data_when_a_tree_cannot_be_read(fake, capsys):
    fake.add_commit(files(), date="2026-11-20T10:00:00Z")
    assert run(capsys, "update", "--base-url", fake.base_url)[0] == 0
    good = json.loads(livescan.path().read_text())
    fake.add_commit(files(bc=BC_UNREADABLE), date="2026-11-27T10:00:00Z")
    code, out, err = run(capsys, "update", "--base-url", fake.base_url)
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert "cannot be read; nothing updated, commands keep showing CPython main" in first
    assert "2026-11-20" in first
    assert "error: body is never closed" in err and "Traceback" not in err
    assert json.loads(livescan.path().read_text())["source"] == good["source"]
    # a command asking for that tree shows the last good data instead, and says so
    code, listing, err = tasks_json(capsys, fake)
    assert code == 0 and listing["tasks"]
    assert "cannot be read; showing CPython main" in err


def test_provenance_line_and_age():
    from tracker.provenance import describe

    now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    src = {"origin": "github:python/cpython@main", "ref": "main", "revision": "3f2a1c0deadbeef",
           "date": "2026-11-20T09:00:00+00:00"}
    assert describe(src, now) == "CPython main 3f2a1c0, 2026-11-20, 5 days old (live scan of python/cpython@main)"
    bundled = {"snapshot": "bundled", "ref": "main", "revision": None, "python_version": "3.15.0a5+",
               "date": "2026-02-08T01:25:30-05:00"}
    assert describe(bundled, now).startswith("CPython main 3.15.0a5+, 2026-02-08, 290 days old (bundled snapshot)")
    assert "from today" in describe({**src, "date": (now - timedelta(hours=2)).isoformat()}, now)
    assert "1 day old" in describe({**src, "date": (now - timedelta(days=1, hours=1)).isoformat()}, now)


# ---------------------------------------------------------------------------- snapshots

def test_make_snapshot_from_github_records_provenance(fake, tmp_path, monkeypatch):
    """scripts/make-snapshot --github: the bundled snapshot can be rebuilt from GitHub alone."""
    import subprocess

    sha = fake.add_commit(files(opt=OPT_LATER), ref="main", date="2026-11-20T10:00:00Z")
    out = tmp_path / "snap.yaml"
    env = {**os.environ, "SNAPSHOT_OUT": str(out), "GITHUB_TOKEN": TOKEN}
    done = subprocess.run(["sh", str(ROOT / "scripts" / "make-snapshot"), "--github", "--base-url",
                           fake.base_url], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr and TOKEN not in out.read_text()
    ts = snapshot.load(out)
    src = ts.source
    assert (src["revision"], src["date"], src["ref"]) == (sha, "2026-11-20T10:00:00Z", "main")
    assert src["repository"] == fake.base_url.removesuffix("/api/v3") + "/python/cpython"
    assert "blobs" not in src and all(t.excerpt is None for t in ts.tasks)
    assert ts.by_id()["optimizer:_LOAD_LEN"].status == "done"
    assert "op(_LOAD_LEN" not in out.read_text()  # facts only, never the definitions' text


def test_github_and_a_checkout_of_the_same_files_share_the_scan_cache(fake, capsys, cache, tmp_path):
    fake.add_commit(files())
    _, remote, _ = tasks_json(capsys, fake)
    scans = sorted(p.name for p in (cache / "scans").glob("*.json"))
    assert len(scans) == 1 and gh.blob_id(BC) in scans[0] and gh.blob_id(OPT) in scans[0]
    checkout = tmp_path / "cpython" / "Python"
    checkout.mkdir(parents=True)
    (checkout / "bytecodes.c").write_bytes(BC)
    (checkout / "optimizer_bytecodes.c").write_bytes(OPT)
    code, out, _ = run(capsys, "scan", str(tmp_path / "cpython"), "--json")
    assert code == 0 and json.loads(out)["cached"] is True  # the GitHub scan, reused
    code, out, _ = run(capsys, "tasks", str(tmp_path / "cpython"), "--json")
    local = json.loads(out)
    assert [(t["id"], t["status"], t["file"], t["line"]) for t in local["tasks"]] == \
        [(t["id"], t["status"], t["file"], t["line"]) for t in remote["tasks"]]
    assert sorted(p.name for p in (cache / "scans").glob("*.json")) == scans
