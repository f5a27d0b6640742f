"""The forms of CPython's campaign threads, read without the network: tracking lists,
``### Linked PRs``, title shorthands, superseded pull requests, follow-ups."""

import pytest

from tracker.campaign import thread as th
from tracker.campaign.names import NameIndex, spell_out

from .corpus import LISTS, TASKS, TITLES

INDEX = NameIndex.of(TASKS)


@pytest.mark.parametrize("case", LISTS, ids=[c[0] for c in LISTS])
def test_list_forms(case):
    _, kind, crossed, body, expected = case
    got = {t: (it.status, it.by) for it in th.items(body, INDEX, kind, crossed) for t in it.tasks}
    assert got == expected


@pytest.mark.parametrize("case", TITLES, ids=[c[0][:40] for c in TITLES])
def test_title_forms(case):
    title, kind, expected = case
    found = [t for f in INDEX.find(title, kind, strict=True) for t in f.tasks]
    assert sorted(dict.fromkeys(found)) == sorted(expected)


def test_linked_prs_and_issue_lines():
    body = "Text gh-1 here.\n\n### Linked PRs\n* gh-148230\n* gh-148283\n\nAfter.\n* gh-9\n"
    assert th.linked_prs(body) == [148230, 148283]
    assert th.linked_prs("no list") == []
    assert ("python/cpython", 145866) in th.references("Fix it\n\n* Issue: gh-145866", "python/cpython")


def test_spelled_out_shorthands():
    assert spell_out("`[_A_B/_C]_D_E`") == "`_A_B_D_E _C_D_E`"
    assert spell_out("_X_Y(_Z)") == "_X_Y _X_Y_Z"


def test_superseded_and_follow_ups():
    assert th.superseded("Superseded by #160004, thanks") == ([160004], [])
    assert th.superseded("Closing in favour of gh-77.") == ([77], [])
    assert th.superseded("This supersedes #12 and replaces https://github.com/python/cpython/pull/13") == ([], [12, 13])
    assert th.follows_up("A follow-up to https://github.com/python/cpython/issues/145866", {145866}) == 145866
    assert th.follows_up("Follow-up of gh-1", {145866}) is None
    assert th.follows_up("Related to gh-145866", {145866}) is None
