"""history and contributors from the command line, with the real rules."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker.cli.main import main
from tracker.store import Store

from ..gitrepo import Repo, optimizer, real_bytecodes

BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    r = Repo(tmp_path / "cpython")
    r.commit({BC: real_bytecodes({"_A": False, "_B": False}), OPT: optimizer(["_A"])},
             "Start", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    r.commit({BC: real_bytecodes({"_A": True, "_B": False})},
             "gh-134584: Convert _A (#1001)", "Bob Smith", "2025-02-01T10:00:00+00:00")
    r.commit({BC: real_bytecodes({"_A": True, "_B": False}, broken=True)},
             "oops", "Cy Young", "2025-03-01T10:00:00+00:00")
    r.commit({BC: real_bytecodes({"_A": True, "_B": True}), OPT: optimizer(["_A", "_B"])},
             "gh-134584: Convert _B and add its case (#1002)", "Bob Smith", "2025-04-01T10:00:00+00:00")
    return r


def test_history_json_and_contributors(repo, tmp_path, capsys):
    assert main(["history", str(repo.path), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    revs = data["revisions"]
    assert len(revs) == 4 and data["repository"] == str(repo.path)
    assert [r["flipped"] for r in revs] == [
        [], ["refcount:_A"], [], ["optimizer:_B", "refcount:_B"]]
    assert revs[0]["counts"]["refcount"]["open"] == 2 and revs[3]["counts"]["refcount"]["done"] == 2
    assert revs[2]["error"] and revs[2]["error"].startswith(f"{BC}@")
    assert "scanned 4, 0 from cache, 1 did not parse" in err
    assert main(["contributors", "--json"]) == 0
    people = json.loads(capsys.readouterr().out)["contributors"]
    assert [(p["name"], len(p["tasks"])) for p in people] == [("Bob Smith", 3)]
    assert {t["pr"] for t in people[0]["tasks"]} == {"#1001", "#1002"}
    assert people[0]["first"].startswith("2025-02-01") and people[0]["latest"].startswith("2025-04-01")
    # rerun: nothing rescanned
    assert main(["history", str(repo.path), "--json"]) == 0
    assert "scanned 0, 4 from cache" in capsys.readouterr().err


def test_history_csv_table_and_stored(repo, capsys):
    assert main(["history", str(repo.path), "--csv", "--since", "2025-01-15"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["pr"] for r in rows] == ["#1001", "", "#1002"]
    assert rows[0]["refcount_done"] == "1" and rows[1]["error"] and rows[1]["refcount_open"] == ""
    assert rows[0]["done_here"] == "refcount:_A" and rows[0]["removed_here"] == ""
    assert main(["history", str(repo.path)]) == 0
    out = capsys.readouterr().out
    assert "Bob Smith" in out and "refcount:_A" in out and "error" in out
    # without CPYTHON_DIR: what was recorded, filtered like git would
    assert main(["history", "--json", "--until", "2025-02-15"]) == 0
    assert [r["pr"] for r in json.loads(capsys.readouterr().out)["revisions"]] == [None, "#1001"]


def test_history_errors_are_clear(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    (tmp_path / "plain").mkdir()
    assert main(["history", str(tmp_path / "plain")]) == 2
    assert "not a git repository" in capsys.readouterr().err
    assert main(["history", str(tmp_path / "plain"), "--since", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_history_without_anything_uses_bundled_snapshot(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    assert main(["history", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "bundled snapshot" in err and err.count("\n") == 1
    revs = json.loads(out)["revisions"]
    assert len(revs) == 1 and revs[0]["counts"]["refcount"]["open"] > 0
    assert main(["contributors"]) == 0
    assert "no history recorded" in capsys.readouterr().out
    assert Store(tmp_path / "state.yaml").history_file.revisions() == []


def test_history_no_cache_scans_everything_and_keeps_nothing(repo, capsys):
    import os
    from pathlib import Path

    assert main(["history", str(repo.path), "--json"]) == 0
    assert "scanned 4, 0 from cache" in capsys.readouterr().err
    from tracker.history import Summaries

    cache = Path(os.environ["JIT_TRACKER_CACHE_DIR"]) / "history" / (Summaries.name() + ".json")
    before = cache.read_bytes()
    assert main(["history", str(repo.path), "--json", "--no-cache"]) == 0
    assert "scanned 4, 0 from cache" in capsys.readouterr().err
    assert cache.read_bytes() == before
    assert main(["history", str(repo.path), "--json"]) == 0
    assert "scanned 0, 4 from cache" in capsys.readouterr().err


@pytest.fixture
def campaign_repo(tmp_path, monkeypatch):
    """Made-up conversions naming the refcount campaign's tracking issue (gh-134584, the
    number data/tracking.yaml adopts), by three people, one under two addresses."""
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    r = Repo(tmp_path / "cpython")
    names = ["_A", "_B", "_C", "_D"]

    def version(*done):
        return {BC: real_bytecodes({n: n in done for n in names})}

    r.commit({**version(), OPT: optimizer([])}, "Start", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    r.commit(version("_A"), "gh-134584: Convert _A (GH-2001)", "Bob Smith", "2025-01-02T10:00:00+00:00",
             email="77+bobs@users.noreply.github.com")
    r.commit(version("_A", "_B"), "gh-134584: Convert _B (GH-2002)", "Cy Young", "2025-01-03T10:00:00+00:00",
             email="cy@example.org")
    r.commit(version("_A", "_B", "_C"), "gh-134584: Convert _C (GH-2003)", "Cy Young",
             "2025-01-04T10:00:00+00:00", email="cy@home.example")
    r.commit(version(*names), "gh-999: Convert _D (GH-2004)", "Dee Dee", "2025-01-05T10:00:00+00:00")
    return r


def test_contributors_whatsnew_and_campaign(campaign_repo, capsys):
    assert main(["history", str(campaign_repo.path), "--json"]) == 0
    capsys.readouterr()
    assert main(["contributors", "--whatsnew", "refcount"]) == 0
    assert capsys.readouterr().out == "(Contributed by Cy Young and Bob Smith in :gh:`134584`.)\n"
    # any issue number is a campaign too; one name stands alone
    assert main(["contributors", "--whatsnew", "gh-999"]) == 0
    assert capsys.readouterr().out == "(Contributed by Dee Dee in :gh:`999`.)\n"
    # every tracked campaign: one line per issue with credit, under a comment saying
    # which it is when there are several (gh-999 is no tracked issue)
    assert main(["contributors", "--whatsnew"]) == 0
    assert capsys.readouterr().out == "(Contributed by Cy Young and Bob Smith in :gh:`134584`.)\n"
    campaign_repo.commit({BC: real_bytecodes({"_A": True, "_B": True, "_C": True, "_D": True, "_E": True})},
                         "gh-145866: Add and convert _E (GH-2005)", "Eve Ng", "2025-01-06T10:00:00+00:00")
    assert main(["history", str(campaign_repo.path), "--json"]) == 0
    capsys.readouterr()
    assert main(["contributors", "--whatsnew", "refcount"]) == 0
    assert capsys.readouterr().out == (
        ".. refcount, gh-145866 (follow-up):\n(Contributed by Eve Ng in :gh:`145866`.)\n"
        ".. refcount, gh-134584 (predecessor):\n(Contributed by Cy Young and Bob Smith in :gh:`134584`.)\n")
    assert main(["contributors", "--whatsnew", "gh-134584"]) == 0
    assert capsys.readouterr().out == "(Contributed by Cy Young and Bob Smith in :gh:`134584`.)\n"
    # a release cycle: only the revisions of those dates
    assert main(["contributors", "--whatsnew", "gh-134584", "--since", "2025-01-03"]) == 0
    assert capsys.readouterr().out == "(Contributed by Cy Young in :gh:`134584`.)\n"
    assert main(["contributors", "--whatsnew", "gh-5"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "nobody is credited in gh-5" in err
    assert main(["contributors", "--whatsnew", "no-such-kind"]) == 2
    assert "no campaign 'no-such-kind'" in capsys.readouterr().err
    # the JSON keeps names, logins, e-mails and tasks; one entry for Cy's two addresses
    assert main(["contributors", "--campaign", "refcount", "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)["contributors"]] == [
        "Cy Young", "Bob Smith", "Eve Ng"]  # every issue of the kind
    assert main(["contributors", "--campaign", "gh-134584", "--json"]) == 0
    people = json.loads(capsys.readouterr().out)["contributors"]
    assert [(p["name"], p["logins"], p["emails"]) for p in people] == [
        ("Cy Young", [], ["cy@example.org", "cy@home.example"]),
        ("Bob Smith", ["bobs"], ["77+bobs@users.noreply.github.com"])]
    assert [t["id"] for t in people[0]["tasks"]] == ["refcount:_B", "refcount:_C"]
    assert people[0]["campaigns"]["gh-134584"]["tasks"] == 2
    assert main(["contributors", "--campaign", "134584"]) == 0
    table = capsys.readouterr().out
    assert "campaign gh-134584" in table and "bobs" in table and "Dee Dee" not in table
    assert "(+1 address)" in table
