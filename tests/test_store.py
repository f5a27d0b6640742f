"""The state file: claims, settings, concurrency, crashes, broken and old files."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from tracker import store as store_mod
from tracker.errors import DataError, TrackerError
from tracker.store import Claim, Store


@pytest.fixture
def st(tmp_path: Path) -> Store:
    return Store(tmp_path / "state.yaml")


def test_default_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "x" / "s.yaml"))
    assert Store().path == tmp_path / "x" / "s.yaml"


def test_default_path_is_user_data_dir(monkeypatch):
    import platformdirs

    monkeypatch.delenv("JIT_TRACKER_STATE", raising=False)
    assert Store().path == Path(platformdirs.user_data_dir("jit-tracker", appauthor=False)) / "state.yaml"


def test_claim_release_roundtrip(st):
    assert st.claims() == {}
    c = st.claim("refcount:_ADD", "ada", "starting on it")
    assert isinstance(c, Claim) and c.by == "ada" and c.note == "starting on it"
    again = Store(st.path).claims()["refcount:_ADD"]
    assert again == c
    assert st.release("refcount:_ADD").by == "ada"
    assert st.claims() == {}
    with pytest.raises(TrackerError, match="not claimed"):
        st.release("refcount:_ADD")


def test_claim_validates_against_known_and_done(st):
    known = {"refcount:_ADD", "refcount:_SUB", "tier2:SEND"}
    with pytest.raises(TrackerError, match="unknown task") as exc:
        st.claim("refcount:_AD", "ada", known=known)
    assert "refcount:_ADD" in str(exc.value)  # close-match hint
    with pytest.raises(TrackerError, match="already done"):
        st.claim("tier2:SEND", "ada", known=known, done={"tier2:SEND"})
    assert st.claims() == {}


def test_held_claim_needs_force_unless_stale(st):
    st.claim("refcount:_ADD", "ada")
    with pytest.raises(TrackerError, match="claimed by ada"):
        st.claim("refcount:_ADD", "bob")
    assert st.claim("refcount:_ADD", "bob", force=True).by == "bob"
    # make bob's claim old: a stale claim may be taken over without --force
    with st.transaction() as data:
        old = datetime.now(timezone.utc) - timedelta(days=st.stale_days + 1)
        data["claims"]["refcount:_ADD"]["since"] = old.isoformat()
    assert st.is_stale(st.claims()["refcount:_ADD"])
    assert st.claim("refcount:_ADD", "cy").by == "cy"


def test_stale_days_setting_and_override(st):
    assert st.stale_days == 30
    st.set_setting("claims.stale_days", 3)
    assert Store(st.path).stale_days == 3
    assert Store(st.path, stale_days=7).stale_days == 7
    c = Claim("x", "ada", (datetime.now(timezone.utc) - timedelta(days=5)).isoformat())
    assert Store(st.path).is_stale(c)
    assert not Store(st.path, stale_days=7).is_stale(c)
    st.set_setting("claims.stale_days", "soon")
    with pytest.raises(DataError, match="stale_days"):
        _ = st.stale_days


def test_same_person_reclaim_keeps_date_updates_note(st):
    first = st.claim("t:A", "ada", "one")
    second = st.claim("t:A", "ada", "two")
    assert second.since == first.since and second.note == "two"


def test_settings_and_issues(st):
    st.set_setting("user.name", "ada")
    assert st.get_setting("user.name") == "ada"
    assert st.get_setting("missing", 5) == 5
    st.set_issue("t:A", 12, "https://example.org/i/12", "open")
    assert st.issues() == {"t:A": {"number": 12, "url": "https://example.org/i/12", "state": "open"}}
    st.set_issues({"t:B": {"number": 13, "url": "u13", "state": "closed"},
                   "t:A": {"number": 12, "url": "https://example.org/i/12", "state": "closed"}})
    assert {k: v["state"] for k, v in st.issues().items()} == {"t:A": "closed", "t:B": "closed"}


def test_merge_github_claims(st):
    st.claim("t:LOCAL", "ada")
    st.merge_github_claims([("t:LOCAL", "someone", "u1"), ("t:GH", "bob", "u2"), ("t:GONE", "cy", "u3")])
    claims = st.claims()
    assert claims["t:LOCAL"].by == "ada" and claims["t:LOCAL"].issue == "u1"  # local wins
    assert claims["t:GH"].source == "assignee" and claims["t:GH"].by == "bob"
    since = claims["t:GH"].since
    st.merge_github_claims([("t:GH", "bob", "u2")])
    claims = st.claims()
    assert "t:GONE" not in claims  # unassigned on GitHub
    assert claims["t:GH"].since == since  # unchanged assignee keeps its date
    assert claims["t:LOCAL"].by == "ada"  # local claims are never dropped by a sync


def test_backup_kept_before_each_write(st):
    st.claim("t:A", "ada")
    assert not st.backup_path.exists() or "t:A" not in st.backup_path.read_text()
    st.claim("t:B", "bob")
    backup = yaml.safe_load(st.backup_path.read_text())
    assert set(backup["claims"]) == {"t:A"}
    assert set(yaml.safe_load(st.path.read_text())["claims"]) == {"t:A", "t:B"}


def test_corrupt_file_error_has_location_and_is_not_overwritten(st):
    st.path.write_text("version: 1\nclaims:\n  t:A: {by: ada, since: 2025-01-01\n  t:B: x\n")
    before = st.path.read_text()
    with pytest.raises(DataError) as exc:
        st.claim("t:C", "cy")
    msg = str(exc.value)
    assert msg.startswith(f"{st.path}:4:")
    assert "not overwrite" in msg
    assert st.path.read_text() == before


def test_wrong_shape_is_located(st):
    st.path.write_text("version: 1\nsettings: {}\nclaims:\n  t:A:\n    since: 2025-01-01\n")
    with pytest.raises(DataError) as exc:
        st.claims()
    assert f"{st.path}:4:3:" in str(exc.value) and "'by'" in str(exc.value)
    st.path.write_text("- just\n- a list\n")
    with pytest.raises(DataError, match="mapping"):
        st.claims()


def test_newer_version_refused(st):
    st.path.write_text("version: 99\n")
    with pytest.raises(DataError, match="newer jit-tracker"):
        st.claims()


def test_version_0_state_loads_and_upgrades(st):
    st.path.write_text(
        "# written by jit-tracker 0.0\n"
        "claims:\n"
        "  - {task: 'refcount:_ADD', by: ada, date: 2025-03-01}\n"
        "  - {task: 'tier2:SEND', by: bob, date: 2025-04-02, note: halfway}\n"
    )
    claims = st.claims()
    assert claims["refcount:_ADD"].by == "ada" and claims["refcount:_ADD"].since == "2025-03-01"
    assert claims["tier2:SEND"].note == "halfway"
    st.claim("t:NEW", "cy")  # writing upgrades the file
    data = yaml.safe_load(st.path.read_text())
    assert data["version"] == store_mod.VERSION
    assert set(data["claims"]) == {"refcount:_ADD", "tier2:SEND", "t:NEW"}


def test_empty_file_is_empty_state(st):
    st.path.write_text("")
    assert st.claims() == {} and st.history_file.revisions() == [] and st.history_file.contributors() == []


def test_failed_replace_leaves_previous_file(st, monkeypatch):
    st.claim("t:A", "ada")
    before = st.path.read_bytes()

    real = os.replace

    def broken(src, dst):
        if Path(dst) == st.path:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", broken)
    with pytest.raises(TrackerError, match="No space left"):
        st.claim("t:B", "bob")
    monkeypatch.undo()
    assert st.path.read_bytes() == before
    assert not list(st.path.parent.glob(".state.yaml.*.tmp"))  # temp file cleaned up
    assert set(st.claims()) == {"t:A"}


def _claim_many(path: str, who: str, n: int) -> None:
    s = Store(path)
    for i in range(n):
        s.claim(f"t:{who}{i}", who)


def test_two_processes_claiming_lose_nothing(tmp_path):
    path = str(tmp_path / "state.yaml")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_claim_many, args=(path, who, 40)) for who in ("ada", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    claims = Store(path).claims()
    assert len(claims) == 80
    assert {c.by for c in claims.values()} == {"ada", "bob"}


def _killed_mid_write(path: str) -> None:
    # Die the hard way between writing the new temp file and renaming it over the old.
    real = os.replace

    def die(src, dst):
        if Path(dst) == Path(path):
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst)

    store_mod.os.replace = die
    Store(path).claim("t:B", "bob")


def test_kill_during_write_leaves_previous_file(tmp_path):
    path = tmp_path / "state.yaml"
    Store(path).claim("t:A", "ada")
    before = path.read_bytes()
    ctx = multiprocessing.get_context("fork")
    p = ctx.Process(target=_killed_mid_write, args=(str(path),))
    p.start()
    p.join(30)
    assert p.exitcode == -signal.SIGKILL
    assert path.read_bytes() == before
    # the lock died with the process: the next writer is not blocked
    Store(path).claim("t:C", "cy")
    assert set(Store(path).claims()) == {"t:A", "t:C"}


def test_history_sidecar_roundtrip_and_errors(st):
    revs = [{"revision": "abc", "date": "2025-01-01T00:00:00+00:00", "author": "ada", "subject": "s",
             "error": None, "counts": {"refcount": {"open": 1, "done": 2}}, "flipped": []}]
    assert st.history_file.record("/repo", revs, [], since=None) is True
    assert st.history_file.record("/repo", revs, [], since=None) is False  # unchanged: not rewritten
    assert Store(st.path).history_file.revisions() == revs and st.history_file.info()["repository"] == "/repo"
    assert not st.path.exists()  # claims' file untouched by history
    st.history_file.path.write_text('{"revisions": [\n  {"revision": "abc",}\n]}\n')
    with pytest.raises(DataError) as exc:
        st.history_file.revisions()
    assert str(exc.value).startswith(f"{st.history_file.path}:2:")


# ---------------------------------------------------------------- the campaign read from GitHub

def remote(task_id, by, since, source="comment", url="https://x/c"):
    return store_mod.Claim(task_id, by, since, None, source, None, url)


def test_version_1_state_upgrades_github_claims_to_assignee(st):
    st.path.write_text("version: 1\nsettings: {}\nclaims:\n  t:A: {by: bob, since: '2025-01-01', source: github}\n"
                       "  t:B: {by: ada, since: '2025-01-02'}\nissues: {}\n")
    claims = st.claims()
    assert claims["t:A"].source == "assignee" and claims["t:B"].source == "local"
    st.set_setting("x", 1)
    data = yaml.safe_load(st.path.read_text())
    assert data["version"] == store_mod.VERSION and data["claims"]["t:A"]["source"] == "assignee"
    assert data["pulls"] == {} and data["checklist"] == {}


def test_remote_claims_merge_newest_wins_local_never_overwritten(st):
    st.claim("t:LOCAL", "ada")
    st.merge_remote_claims([remote("t:LOCAL", "eve", "2030-01-01T00:00:00Z"),
                            remote("t:X", "bob", "2025-06-01T00:00:00Z"),
                            remote("t:X", "cy", "2025-06-02T00:00:00Z", "pull"),
                            remote("t:GONE", "dee", "2025-06-01T00:00:00Z")])
    claims = st.claims()
    assert (claims["t:LOCAL"].by, claims["t:LOCAL"].source) == ("ada", "local")
    assert (claims["t:X"].by, claims["t:X"].source, claims["t:X"].url) == ("cy", "pull", "https://x/c")
    # the next read no longer shows t:GONE: dropped; an assignee-only merge keeps comment claims
    st.merge_remote_claims([remote("t:X", "cy", "2025-06-02T00:00:00Z", "pull")])
    assert "t:GONE" not in st.claims()
    st.merge_github_claims([("t:X", "zed", "https://x/i")])
    assert st.claims()["t:X"].by == "cy"


def test_record_campaign_keeps_pulls_checklist_and_where_it_came_from(st):
    st.record_campaign([remote("t:A", "bob", "2025-06-01T00:00:00Z")],
                       {"t:A": {"number": 7, "author": "bob", "state": "open"}},
                       {"t:B": {"status": "not planned", "issue": 3}},
                       {"repo": "o/r", "base_url": "https://api", "tracking": {"refcount": 3}})
    assert st.pulls()["t:A"]["number"] == 7
    assert st.checklist()["t:B"]["status"] == "not planned"
    assert st.get_setting("github")["tracking"] == {"refcount": 3}
    assert st.claims()["t:A"].source == "comment"


def test_an_unknown_claim_source_is_reported_where(st):
    st.path.write_text("version: 2\nclaims:\n  t:A: {by: bob, since: '2025-01-01', source: carrier-pigeon}\n")
    with pytest.raises(DataError) as err:
        st.claims()
    assert ":3:" in str(err.value) and "source" in str(err.value)
