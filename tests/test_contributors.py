"""One contributor per person, credited per campaign, and What's New's credit line."""

from __future__ import annotations

import pytest

from tracker import contributors as credit
from tracker import history

from .gitrepo import Repo, bytecodes, optimizer, standin_scan

BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"
OPS = ["_A", "_B", "_C", "_D", "_E", "_F"]
CAMPAIGNS = {900: "refcount", 950: "optimizer"}


def ops(*converted: str) -> str:
    return bytecodes({name: name in converted for name in OPS})


@pytest.fixture
def repo(tmp_path):
    """Ada under two addresses and two spellings, Bob under a noreply address and as his
    login, Cy renamed by the repository's .mailmap; campaigns gh-900 and gh-950."""
    r = Repo(tmp_path / "cpython")
    r.commit({BC: ops(), OPT: optimizer([]), ".mailmap": "Cy Young <cy@example.org> <cy@old.example>\n"},
             "Start", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    r.commit({BC: ops("_A")}, "gh-900: Convert _A (GH-901)", "Ada Lovelace", "2025-01-02T10:00:00+00:00",
             email="ada@work.example")
    r.commit({BC: ops("_A", "_B")}, "gh-900: Convert _B (#902)", "Bob Smith", "2025-01-03T10:00:00+00:00",
             email="123+bobs@users.noreply.github.com")
    r.commit({BC: ops("_A", "_B", "_C")}, "Convert _C\n\nPart of gh-900.", "bobs", "2025-01-04T10:00:00+00:00",
             email="bob@example.org")
    r.commit({BC: ops("_A", "_B", "_C", "_D")}, "gh-950: Convert _D (#903)", "cyoung",
             "2025-01-05T10:00:00+00:00", email="cy@old.example")
    r.commit({BC: ops("_A", "_B", "_C", "_D", "_E")}, "gh-900: Convert _E (#904)", "ada  LOVELACE",
             "2025-01-06T10:00:00+00:00", email="ada@example.org")
    r.commit({BC: ops(*OPS)}, "gh-900: Convert _F (#905)", "Ada Lovelace", "2025-01-07T10:00:00+00:00",
             email="ada@example.org")
    return r


def walk(path, tmp_path, **kw):
    return history.walk(path, scanner=standin_scan,
                        fingerprint="standin", jobs=1, campaigns=CAMPAIGNS, **kw)


def by_name(people):
    return {p["name"]: p for p in people}


def test_one_person_per_identity(repo, tmp_path):
    people = walk(repo.path, tmp_path).contributors
    assert [(p["name"], len(p["tasks"])) for p in people] == [
        ("Ada Lovelace", 3), ("Bob Smith", 2), ("Cy Young", 1)]
    ada, bob, cy = people
    # the same name (case and spacing aside) under two addresses is one person
    assert ada["names"] == ["Ada Lovelace", "ada  LOVELACE"]
    assert ada["emails"] == ["ada@example.org", "ada@work.example"] and ada["email"] == "ada@example.org"
    assert ada["logins"] == []
    # a noreply address gives the login; a commit under that login as a name is his too
    assert bob["logins"] == ["bobs"]
    assert sorted(bob["names"]) == ["Bob Smith", "bobs"]
    assert sorted(t["id"] for t in bob["tasks"]) == ["refcount:_B", "refcount:_C"]
    # the repository's .mailmap is honoured
    assert cy["names"] == ["Cy Young"] and cy["emails"] == ["cy@example.org"]


def test_mailmap_read_from_the_revision_without_a_checkout(repo, tmp_path):
    bare = tmp_path / "mirror.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    plain = tmp_path / "no-checkout"
    repo.git("clone", "-q", "--no-checkout", str(repo.path), str(plain))
    for path in (bare, plain):
        people = by_name(walk(path, tmp_path / path.name).contributors)
        assert set(people) == {"Ada Lovelace", "Bob Smith", "Cy Young"}, path


def test_own_mailmap_file(repo, tmp_path):
    mine = tmp_path / "mine.mailmap"
    mine.write_text("Robert Smith <123+bobs@users.noreply.github.com>\nRobert Smith <bob@example.org>\n")
    people = by_name(walk(repo.path, tmp_path, mailmap=str(mine)).contributors)
    assert "Robert Smith" in people and "Bob Smith" not in people
    assert people["Robert Smith"]["logins"] == ["bobs"]
    with pytest.raises(history.UsageError, match="no such file"):
        walk(repo.path, tmp_path, mailmap=str(tmp_path / "missing"))


def test_credit_per_campaign(repo, tmp_path):
    res = walk(repo.path, tmp_path)
    revs = {r["subject"]: r for r in res.revisions}
    # the PR in parentheses is not an issue; an issue named in the body counts
    assert revs["gh-900: Convert _A (GH-901)"]["issues"] == [900]
    assert revs["gh-900: Convert _A (GH-901)"]["pr"] == "#901"
    assert revs["Convert _C"]["issues"] == [900] and revs["Convert _C"]["pr"] == "gh-900"
    ada, bob, cy = res.contributors
    assert ada["campaigns"] == {"gh-900": {"kind": "refcount", "tasks": 3, "commits": 3,
                                           "first": "2025-01-02T10:00:00+00:00",
                                           "latest": "2025-01-07T10:00:00+00:00"}}
    assert cy["campaigns"]["gh-950"]["tasks"] == 1 and "gh-900" not in cy["campaigns"]
    assert [t["campaigns"] for t in cy["tasks"]] == [["gh-950"]]
    assert [p["name"] for p in credit.in_campaign(res.contributors, 900)] == ["Ada Lovelace", "Bob Smith"]
    assert credit.credit_line(res.contributors, 900) == \
        "(Contributed by Ada Lovelace and Bob Smith in :gh:`900`.)"
    assert credit.credit_line(res.contributors, 950) == "(Contributed by Cy Young in :gh:`950`.)"
    assert credit.credit_line(res.contributors, 999) is None


def test_campaign_commit_without_a_finished_task_still_credits(tmp_path):
    revisions = [
        {"revision": "1", "date": "2025-01-01T00:00:00+00:00", "author": "Ann", "email": "a@x",
         "subject": "gh-7: groundwork", "issues": [7], "flipped": []},
        {"revision": "2", "date": "2025-01-02T00:00:00+00:00", "author": "Ben", "email": "b@x",
         "subject": "unrelated", "issues": [], "flipped": []},
        {"revision": "3", "date": "2025-01-03T00:00:00+00:00", "author": "Cat", "email": "c@x",
         "subject": "gh-7: convert", "flipped": ["refcount:_X", "refcount:_Y"]},  # no "issues": older record
    ]
    people = credit.contributors(revisions, {7: "refcount"})
    assert [(p["name"], len(p["tasks"])) for p in people] == [("Cat", 2), ("Ann", 0)]  # Ben did neither
    assert credit.credit_line(people, 7) == "(Contributed by Cat and Ann in :gh:`7`.)"


def test_join_names_and_line_format():
    assert credit.join_names(["A"]) == "A"
    assert credit.join_names(["A", "B"]) == "A and B"
    assert credit.join_names(["A", "B", "C"]) == "A, B, and C"
    assert credit.join_names(["A", "B", "C", "D"]) == "A, B, C, and D"
    people = [{"name": n, "campaigns": {"gh-5": {"tasks": t, "commits": 1, "first": f"2025-01-0{i}"}}}
              for i, (n, t) in enumerate([("Few", 1), ("Most", 3), ("Some", 2)], 1)]
    assert credit.credit_line(people, 5) == "(Contributed by Most, Some, and Few in :gh:`5`.)"


def test_identity_helpers():
    assert credit.login_of("35182391+some-one@users.noreply.github.com") == "some-one"
    assert credit.login_of("plain@users.noreply.github.com") == "plain"
    assert credit.login_of("someone@example.org") is None
    assert credit.issues_of("gh-1: x (GH-2)\n\n* Issue: gh-3\nCloses GH-1") == [1, 3]
    assert credit.pr_of("gh-134584: Eliminate redundant refcounting (GH-142703)") == "#142703"
