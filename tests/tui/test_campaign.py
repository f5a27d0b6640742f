"""The TUI and the live campaign: a claim posted as a comment on GitHub (a fake over real
HTTP), a release posted the same way, and tasks shown in review with their pull request."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Label

from tests.github.fake import OWNER, REPO, FakeGitHub
from tracker.github import client as gc
from tracker.store import Store
from tracker.tickets import make_marker
from tracker.tui import TrackerApp
from tracker.tui.claim_dialog import ClaimDialog, ReleaseDialog
from tracker.tui.detail import DetailScreen

from .fakes import FakeClaim, FakeStore
from .test_app import drive, settle, static_text


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gc, "WRITE_INTERVAL", None)
    monkeypatch.setenv("GITHUB_TOKEN", "tok-tui-77")
    return FakeGitHub(httpserver)


def synced_state(tmp_path: Path, fake: FakeGitHub) -> tuple[Store, int]:
    """A state as a sync leaves it: repository, API URL, the task's issue."""
    issue = fake.add_issue("Task _ADD", f"x\n{make_marker('refcount:_ADD', '0' * 64)}\n")
    st = Store(tmp_path / "state.yaml")
    st.set_setting("github", {"repo": f"{OWNER}/{REPO}", "base_url": fake.base_url, "tracking": {}})
    st.set_issue("refcount:_ADD", issue["number"], "https://github.example/i", "open")
    return st, issue["number"]


def test_a_claim_is_posted_as_a_comment_after_showing_it(tasks, tmp_path, fake):
    st, number = synced_state(tmp_path, fake)
    app = TrackerApp(tasks, store=lambda: Store(st.path))

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c", *"ada")
        assert isinstance(app.screen, ClaimDialog)
        assert app.screen.query_one("#claim-post", Checkbox).value is True
        shown = static_text(app, "#claim-comment")
        assert "I'm working on `_ADD` (refcount:_ADD)" in shown and f"#{number}" in str(
            app.screen.query_one("#claim-post", Checkbox).label)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)

    drive(app, scenario)
    body = fake.comments[number][-1]["body"]
    assert "<!-- jit-tracker: claim id=refcount:_ADD by=ada -->" in body
    claim = st.claims()["refcount:_ADD"]
    assert (claim.by, claim.source) == ("ada", "local") and "#issuecomment-" in claim.url


def test_unticking_keeps_the_claim_local(tasks, tmp_path, fake):
    st, number = synced_state(tmp_path, fake)
    app = TrackerApp(tasks, store=lambda: Store(st.path))

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c", *"ada")
        app.screen.query_one("#claim-post", Checkbox).value = False
        await pilot.press("enter", "enter")
        await settle(pilot)

    drive(app, scenario)
    assert fake.writes == []
    assert st.claims()["refcount:_ADD"].by == "ada"


def test_without_a_token_the_dialog_says_the_claim_stays_here(tasks, tmp_path, fake, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    st, _ = synced_state(tmp_path, fake)
    app = TrackerApp(tasks, store=lambda: Store(st.path))

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        assert "set GITHUB_TOKEN" in str(app.screen.query_one("#claim-local", Label).render())
        assert not app.screen.query("#claim-post")
        await pilot.press(*"ada", "enter", "enter")
        await settle(pilot)

    drive(app, scenario)
    assert fake.writes == [] and st.claims()["refcount:_ADD"].by == "ada"


def test_a_release_is_posted_after_asking(tasks, tmp_path, fake):
    st, number = synced_state(tmp_path, fake)
    st.set_setting("user.name", "ada")
    st.claim("refcount:_ADD", "ada")
    app = TrackerApp(tasks, store=lambda: Store(st.path))

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ReleaseDialog)
        assert "no longer working on `_ADD`" in static_text(app, "#release-comment")
        await pilot.press("p")
        await settle(pilot)

    drive(app, scenario)
    assert "<!-- jit-tracker: release id=refcount:_ADD by=ada -->" in fake.comments[number][-1]["body"]
    assert st.claims() == {}


def test_a_task_with_an_open_pull_request_is_shown_in_review(tasks):
    pr = {"number": 4242, "author": "cai", "url": "https://github.example/pull/4242", "state": "open",
          "title": "gh-1: `_ADD_STR`", "since": "2026-01-01T00:00:00Z"}
    store = FakeStore(claims={"refcount:_ADD_STR": FakeClaim("refcount:_ADD_STR", "cai", "2026-01-01T00:00:00Z",
                                                           source="pull", url=pr["url"])},
                      pulls={"refcount:_ADD_STR": pr,
                             "refcount:_ADD": dict(pr, number=4243, state="merged", author="dee")})
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        assert str(table.get_cell("refcount:_ADD_STR", "status")) == "in review #4242"
        assert str(table.get_cell("refcount:_ADD_STR", "claimed")) == "cai"
        assert str(table.get_cell("refcount:_ADD", "status")) == "merged #4243"
        assert str(table.get_cell("refcount:_ADD", "star")) != "★"  # a merged pull request: not a first task
        app.open_task("refcount:_ADD_STR")
        await settle(pilot)
        summary = static_text(app, "#summary")
        assert "pull request: #4242 by @cai — in review" in summary
        assert "@cai (pull request, " in summary  # who, where and how long ago

    drive(app, scenario)
