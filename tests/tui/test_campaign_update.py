"""`u` reads the campaign with the definitions: against a stand-in python/cpython (the fake
GitHub over real HTTP), a task claimed in a comment loses its star and shows who, one with
an open pull request shows `in review`, and the detail links them."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timezone

import pytest
from textual.widgets import DataTable

from tracker.cli.tui import make_updater
from tracker.github import source as gh
from tracker.store import Store
from tracker.tui import TrackerApp
from tracker.tui.detail import DetailScreen

from ..github.fake import FakeGitHub
from ..github.test_source import files
from .fakes import toy_tasks

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
CLAIMED, IN_REVIEW = "refcount:_STORE_ATTR_SLOT", "refcount:_ADD_STR"


@pytest.fixture
def cpython(httpserver, monkeypatch):
    monkeypatch.setattr(gh, "BACKOFF", 0.0)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    fake = FakeGitHub(httpserver, repo="python/cpython")
    fake.add_commit(files(), date="2026-11-24T08:00:00Z")
    fake.add_issue("Refcounting, continued", "Follow-up to gh-134584.\n\n* `_STORE_ATTR_SLOT`\n* `_ADD_STR`\n",
                   labels=["topic-JIT"], number=145866, author="lead")
    fake.add_comment(145866, "new-ana", "Hello! I'll take `_STORE_ATTR_SLOT`.")["created_at"] = "2026-11-22T10:00:00Z"
    fake.add_pull("gh-145866: Eliminate redundant refcounting from `_ADD_STR`", "* Issue: gh-145866",
                  "new-bo")["created_at"] = "2026-11-23T10:00:00Z"
    for i in range(50):
        fake.add_pull(f"gh-{130000 + i}: unrelated change {i}")
    return fake


def row(app, task_id: str) -> list[str]:
    table = app.query_one("#tasks-table", DataTable)
    return [str(c) for c in table.get_row(task_id)]


def test_u_reads_the_campaign_and_the_table_follows(cpython, tmp_path):
    state = tmp_path / "state.yaml"
    app = TrackerApp(toy_tasks(), store=Store(state), now=lambda: NOW,
                     updater=make_updater(argparse.Namespace(github=None, base_url=cpython.base_url,
                                                             state=str(state))))

    async def main():
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.data.is_starter(app.data.tasks[CLAIMED]) and app.data.is_starter(app.data.tasks[IN_REVIEW])
            assert row(app, CLAIMED)[0] == "★"
            await pilot.press("u")
            await app.workers.wait_for_complete()
            await pilot.pause()
            # who is on it, and the star gone
            assert not app.data.is_starter(app.data.tasks[CLAIMED])
            assert row(app, CLAIMED)[0] != "★" and "new-ana" in " ".join(row(app, CLAIMED))
            assert not app.data.is_starter(app.data.tasks[IN_REVIEW])
            pr = cpython.pulls[0]["number"]
            assert f"in review #{pr}" in row(app, IN_REVIEW)
            # the detail says where the claim was made, with its link
            app.query_one("#tasks-table", DataTable).move_cursor(
                row=app.query_one("#tasks-table", DataTable).get_row_index(CLAIMED))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
            text = " ".join(str(w.render()) for w in app.screen.query("Static"))
            assert "new-ana" in text and "comment" in text
            # nothing was listed but the campaign's issue, its timeline and the definitions
            assert not [p for m, p in cpython.requests if p.endswith("/pulls")]

    asyncio.run(main())
    st = Store(state)
    assert st.claims()[CLAIMED].by == "new-ana" and st.claims()[CLAIMED].source == "comment"
    assert st.pulls()[IN_REVIEW]["state"] == "open"
    # a claim made in the TUI now goes where the campaign is run: the kind's tracking issue
    from tracker.github import posting

    where = posting.target(st, toy_tasks().by_id()["refcount:_ADD"])
    assert (where.repo, where.number) == ("python/cpython", 145866)
