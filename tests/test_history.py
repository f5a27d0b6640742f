"""History over a git repository built from made-up definition versions."""

from __future__ import annotations


import pytest

from pathlib import Path

from tracker import cache, history, scanpool
from tracker.errors import UsageError
from tracker.store import Store

from .gitrepo import CALLS, Repo, bytecodes, optimizer, standin_scan

BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"


@pytest.fixture
def repo(tmp_path):
    """Six commits: three ops converted one by one, a broken revision, an unrelated one."""
    r = Repo(tmp_path / "cpython")
    r.revs = {}
    r.revs["start"] = r.commit({BC: bytecodes({"_A": False, "_B": False, "_C": False}),
                                OPT: optimizer(["_A"])},
                               "Add the ops", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    r.revs["a"] = r.commit({BC: bytecodes({"_A": True, "_B": False, "_C": False})},
                           "gh-100: Convert _A (#200)", "Bob Smith", "2025-02-01T10:00:00+00:00")
    r.revs["docs"] = r.commit({"README": "hello\n"}, "Docs only", "Cy Young", "2025-02-15T10:00:00+00:00")
    r.revs["broken"] = r.commit({BC: bytecodes({"_A": True, "_B": False, "_C": False}, broken=True)},
                                "WIP", "Cy Young", "2025-03-01T10:00:00+00:00")
    r.revs["b"] = r.commit({BC: bytecodes({"_A": True, "_B": True, "_C": False})},
                           "Convert _B\n\nPart of gh-300.", "Dee Dee", "2025-04-01T10:00:00+00:00")
    r.revs["c"] = r.commit({BC: bytecodes({"_A": True, "_B": True, "_C": True}), OPT: optimizer(["_A", "_B"])},
                           "Convert _C, add _B's case (#400)", "Ada Lovelace", "2025-05-01T10:00:00+00:00")
    return r


def run(repo, tmp_path, **kw):
    kw.setdefault("jobs", 1)
    return history.walk(repo.path, scanner=standin_scan, fingerprint="standin-1", **kw)


def test_walk_counts_flips_and_errors(repo, tmp_path):
    res = run(repo, tmp_path)
    revs = res.revisions
    assert [r["revision"] for r in revs] == [repo.revs[k] for k in ("start", "a", "broken", "b", "c")]
    start, a, broken, b, c = revs
    assert start["counts"]["refcount"] == {"open": 3, "done": 0, "blocked": 0}
    assert start["counts"]["optimizer"] == {"open": 2, "done": 1, "blocked": 0}
    assert a["counts"]["refcount"]["done"] == 1
    assert c["counts"]["refcount"] == {"open": 0, "done": 3, "blocked": 0}
    # the broken revision is recorded with its error (located) and skipped
    assert broken["error"].startswith(f"{BC}@{repo.revs['broken'][:10]}:")
    assert broken["counts"] == {} and res.errors == 1
    # flips: nothing at the start (never open before), then one or two per conversion;
    # _B's flip is seen across the broken revision
    assert start["flipped"] == []
    assert a["flipped"] == ["refcount:_A"]
    assert broken["flipped"] == []
    assert b["flipped"] == ["refcount:_B"]
    assert c["flipped"] == ["optimizer:_B", "refcount:_C"]
    assert (a["pr"], b["pr"], c["pr"], start["pr"]) == ("#200", "gh-300", "#400", None)
    assert a["author"] == "Bob Smith" and a["subject"] == "gh-100: Convert _A (#200)"


def test_contributor_credit(repo, tmp_path):
    people = {p["name"]: p for p in run(repo, tmp_path).contributors}
    assert set(people) == {"Ada Lovelace", "Bob Smith", "Dee Dee"}  # Cy only broke things
    ada = people["Ada Lovelace"]
    assert ada["email"] == "ada@example.org"
    assert sorted(t["id"] for t in ada["tasks"]) == ["optimizer:_B", "refcount:_C"]
    assert {t["pr"] for t in ada["tasks"]} == {"#400"}
    assert ada["first"] == ada["latest"] == "2025-05-01T10:00:00+00:00"  # the start commit credits nothing
    assert people["Bob Smith"]["tasks"] == [{"id": "refcount:_A", "revision": repo.revs["a"],
                                            "date": "2025-02-01T10:00:00+00:00", "pr": "#200",
                                            "campaigns": [], "change": "done"}]
    assert run(repo, tmp_path).contributors[0]["name"] == "Ada Lovelace"  # most tasks first


def test_rerun_hits_the_cache(repo, tmp_path):
    CALLS["n"] = 0
    first = run(repo, tmp_path)
    assert first.scanned == 5 and first.cached == 0 and CALLS["n"] == 5
    second = run(repo, tmp_path)
    assert second.scanned == 0 and second.cached == 5 and CALLS["n"] == 5
    assert second.revisions == first.revisions
    # one new revision: only its blob pair is scanned
    repo.commit({OPT: optimizer(["_A", "_B", "_C"])}, "Case for _C", "Eve", "2025-06-01T10:00:00+00:00")
    third = run(repo, tmp_path)
    assert third.scanned == 1 and CALLS["n"] == 6
    assert third.revisions[-1]["flipped"] == ["optimizer:_C"]


def test_changed_rules_invalidate_the_cache(repo, tmp_path):
    run(repo, tmp_path)
    res = history.walk(repo.path, scanner=standin_scan, fingerprint="standin-2", jobs=1)
    assert res.scanned == 5 and any("rules changed" in n for n in res.notes)
    # a damaged cache entry is ignored (and rewritten)
    entry = cache.directory() / "history" / (history.Summaries.name() + ".json")
    entry.write_bytes(entry.read_bytes()[:-10])
    assert run(repo, tmp_path).scanned == 5
    assert run(repo, tmp_path).scanned == 0


def test_process_pool_gives_same_result(repo, tmp_path, monkeypatch):
    inline = run(repo, tmp_path, use_cache=False)
    monkeypatch.setattr(scanpool, "POOL_THRESHOLD", 1)
    seen = []
    pooled = run(repo, tmp_path, jobs=2, use_cache=False, progress=lambda done, total: seen.append((done, total)))
    assert pooled.revisions == inline.revisions and pooled.scanned == 5
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


def test_since_until_and_baseline_parent(repo, tmp_path):
    res = run(repo, tmp_path, since="2025-04-15")
    assert [r["revision"] for r in res.revisions] == [repo.revs["c"]]
    # the parent before --since is scanned as a baseline, so the flip is still seen
    assert res.revisions[0]["flipped"] == ["optimizer:_B", "refcount:_C"]
    res = run(repo, tmp_path, since="2025-01-15", until="2025-03-15")
    assert [r["revision"] for r in res.revisions] == [repo.revs["a"], repo.revs["broken"]]
    with pytest.raises(UsageError, match="expected a date"):
        run(repo, tmp_path, since="last tuesday")


def test_not_a_repository(tmp_path):
    with pytest.raises(UsageError, match="not a git repository"):
        history.walk(tmp_path, scanner=standin_scan, fingerprint="x")


def test_record_merges_walks_of_one_repository(repo, tmp_path):
    st = Store(tmp_path / "state.yaml")
    history.record(st, repo.path, since="2025-03-15", scanner=standin_scan, fingerprint="s", jobs=1)
    assert len(st.history_file.revisions()) == 2
    history.record(st, repo.path, until="2025-02-10", scanner=standin_scan, fingerprint="s", jobs=1)
    assert [r["revision"] for r in st.history_file.revisions()] == [repo.revs[k] for k in ("start", "a", "b", "c")]
    assert {p["name"] for p in st.history_file.contributors()} == {"Ada Lovelace", "Bob Smith"}  # b's flip unseen
    # the summaries sit in the user cache directory (here the test's own), not beside the state
    assert cache.read("history", history.Summaries.name())["fingerprint"] == "s"
    assert not list(tmp_path.glob("state*cache*"))
    # other rules: the earlier counts are not mixed in
    history.record(st, repo.path, since="2025-03-15", scanner=standin_scan, fingerprint="s2", jobs=1)
    assert [r["revision"] for r in st.history_file.revisions()] == [repo.revs[k] for k in ("b", "c")]


def test_pr_of():
    assert history.pr_of("gh-134584: Eliminate redundant refcounting (#135000)") == "#135000"
    assert history.pr_of("GH-1234: fix") == "gh-1234"
    assert history.pr_of("bpo-42: old") == "bpo-42"
    assert history.pr_of("no reference here, #5 alone") is None


def test_merged_branch_credits_the_branch_author_once(tmp_path):
    r = Repo(tmp_path / "cpython")
    r.commit({BC: bytecodes({"_A": False, "_B": False}), OPT: optimizer([])}, "Start", "Ada Lovelace",
             "2025-01-01T10:00:00+00:00")
    r.git("checkout", "-q", "-b", "side")
    side = r.commit({BC: bytecodes({"_A": True, "_B": False})}, "Convert _A (#7)", "Bob Smith",
                    "2025-01-02T10:00:00+00:00")
    r.git("checkout", "-q", "main")
    r.commit({OPT: optimizer(["_B"])}, "Case for _B (#8)", "Cy Young", "2025-01-03T10:00:00+00:00")
    env = {"GIT_AUTHOR_NAME": "Dee", "GIT_AUTHOR_EMAIL": "dee@example.org", "GIT_COMMITTER_NAME": "Dee",
           "GIT_COMMITTER_EMAIL": "dee@example.org", "GIT_AUTHOR_DATE": "2025-01-04T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2025-01-04T10:00:00+00:00"}
    r.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", env=env)
    res = run(r, tmp_path)
    credit = {(t["id"], p["name"]) for p in res.contributors for t in p["tasks"]}
    assert credit == {("refcount:_A", "Bob Smith"), ("optimizer:_B", "Cy Young")}
    by_rev = {x["revision"]: x for x in res.revisions}
    assert by_rev[side]["flipped"] == ["refcount:_A"]


def test_bare_clone_works(repo, tmp_path):
    bare = tmp_path / "mirror.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    res = history.walk(bare, use_cache=False, scanner=standin_scan, fingerprint="x", jobs=1)
    assert res.repository == str(bare.resolve())
    assert [r["flipped"] for r in res.revisions] == [r["flipped"] for r in run(repo, tmp_path).revisions]


def test_removed_and_done_are_credited_to_the_revision(tmp_path):
    """An open task whose op is deleted is removed, credited like a conversion."""
    r = Repo(tmp_path / "cpython")
    r.commit({BC: bytecodes({"_A": False, "_B": False, "_C": False}), OPT: optimizer([])}, "Start",
             "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    gone = r.commit({BC: bytecodes({"_A": False, "_B": False})}, "gh-7: Remove _C (#8)", "Bob Smith",
                    "2025-01-02T10:00:00+00:00")
    done = r.commit({BC: bytecodes({"_A": True, "_B": False})}, "gh-7: Convert _A (#9)", "Cy Young",
                    "2025-01-03T10:00:00+00:00")
    back = r.commit({BC: bytecodes({"_A": True, "_B": False, "_D": False})}, "Add _D", "Dee Dee",
                    "2025-01-04T10:00:00+00:00")
    res = history.walk(r.path, scanner=standin_scan, fingerprint="s", jobs=1, campaigns={7: "refcount"})
    by_rev = {x["revision"]: x for x in res.revisions}
    assert by_rev[gone]["removed"] == ["optimizer:_C", "refcount:_C"] and by_rev[gone]["flipped"] == []
    assert by_rev[done]["flipped"] == ["refcount:_A"] and by_rev[done]["removed"] == []
    assert by_rev[back]["opened"] == ["optimizer:_D", "refcount:_D"]
    people = {p["name"]: p for p in res.contributors}
    assert [(t["id"], t["change"]) for t in people["Bob Smith"]["tasks"]] == [
        ("optimizer:_C", "removed"), ("refcount:_C", "removed")]
    assert [(t["id"], t["change"]) for t in people["Cy Young"]["tasks"]] == [("refcount:_A", "done")]
    assert "Dee Dee" not in people  # opening work is not finishing it
