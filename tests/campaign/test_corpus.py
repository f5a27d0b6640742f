"""Every phrasing of the corpus, one test each: the claims a thread leaves, per task and person."""

import pytest

from tracker.campaign.names import NameIndex
from tracker.campaign.thread import Comment, claims_from_comments

from .corpus import CASES, TASKS

INDEX = NameIndex.of(TASKS)


def run(where, thread):
    place, _, rest = where.partition(":")
    task_id = rest if place == "task" else None
    kind = task_id.split(":")[0] if task_id else rest
    comments = [Comment(author, body, f"2025-06-01T00:{i:02d}:00Z", f"https://x/c{i}")
                for i, (author, body) in enumerate(thread)]
    return claims_from_comments(comments, INDEX, kind, task_id)


def test_corpus_size():
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_phrase(case):
    _, where, thread, expected = case
    held = run(where, thread)
    assert {t: c.by for t, c in held.items()} == expected
    for c in held.values():
        assert c.source == "comment" and c.url.startswith("https://x/c")


@pytest.mark.parametrize("body", [None, "", "   ", "\u2603 `` ``` @ @@ # gh- _", "_" * 5000, "I'll take " + "`_X_`" * 500,
                                  "<!-- jit-tracker: claim id= by= -->", "> > > quoted\n> I'll take _CALL_LEN"])
def test_odd_comments_claim_nothing_and_never_fail(body):
    held = claims_from_comments([Comment("odd", body, "2025-06-01T00:00:00Z", "u")], INDEX, "refcount")
    assert held == {}


def test_many_comments_are_read_in_the_order_written():
    thread = [Comment("ana", "I'll take `_CALL_LEN`.", "2025-06-02T00:00:00Z", "u2"),
              Comment("ben", "I'll take `_CALL_LEN`.", "2025-06-01T00:00:00Z", "u1")]
    held = claims_from_comments(thread, INDEX, "refcount")
    assert (held["refcount:_CALL_LEN"].by, held["refcount:_CALL_LEN"].url) == ("ana", "u2")
