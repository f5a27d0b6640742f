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
