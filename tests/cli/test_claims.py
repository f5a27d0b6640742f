"""claim / release / claims from the command line, against a snapshot's tasks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tracker import snapshot
from tracker.cli.main import main
from tracker.store import Store
from tracker.tasks import Task, TaskSet


@pytest.fixture(autouse=True)
def bundled(tmp_path, monkeypatch):
    """A small snapshot standing in for the bundled one: two open tasks and a done one."""
    ts = TaskSet(
        {"origin": "test", "revision": "abc123", "date": "2025-05-30T00:00:00+00:00"},
        [
            Task("refcount:_ADD", "refcount", "make _ADD not decref", "_ADD", ["ADD"]),
            Task("refcount:_SUB", "refcount", "make _SUB not decref", "_SUB", ["SUB"]),
            Task("tier2:SEND", "tier2", "let SEND run in tier 2", None, ["SEND"], status="done"),
        ],
    )
    path = tmp_path / "snap.yaml"
    snapshot.write(ts, path)
    monkeypatch.setattr(snapshot, "BUNDLED", path)
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    return path


def test_claim_list_release(tmp_path, capsys):
    assert main(["claim", "refcount:_ADD", "--by", "ada", "--note", "PR soon"]) == 0
    out, err = capsys.readouterr()
    assert "refcount:_ADD claimed by ada" in out
    assert "bundled snapshot" in err and err.count("\n") == 1  # one-line fallback notice
    assert main(["claims", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["task"], c["by"], c["note"], c["stale"]) for c in data["claims"]] == [
        ("refcount:_ADD", "ada", "PR soon", False)]
    assert main(["release", "refcount:_ADD"]) == 0
    assert "was claimed by ada" in capsys.readouterr().out
    assert Store(tmp_path / "state.yaml").claims() == {}


def test_unknown_and_done_tasks_are_clear_errors(capsys):
    assert main(["claim", "refcount:_ADDD", "--by", "ada"]) != 0
    err = capsys.readouterr().err
    assert "unknown task 'refcount:_ADDD'" in err and "refcount:_ADD" in err
    assert "Traceback" not in err
    assert main(["claim", "tier2:SEND", "--by", "ada"]) != 0
    assert "already done" in capsys.readouterr().err


def test_release_unclaimed_is_an_error(capsys):
    assert main(["release", "refcount:_SUB"]) == 1
    assert "is not claimed" in capsys.readouterr().err


def test_force_and_stale_takeover(tmp_path, capsys):
    state = tmp_path / "other.yaml"
    assert main(["claim", "refcount:_ADD", "--by", "ada", "--state", str(state)]) == 0
    assert main(["claim", "refcount:_ADD", "--by", "bob", "--state", str(state)]) == 1
    err = capsys.readouterr().err
    assert "claimed by ada" in err and "--force" in err
    assert main(["claim", "refcount:_ADD", "--by", "bob", "--force", "--state", str(state)]) == 0
    assert "took over refcount:_ADD from ada (forced)" in capsys.readouterr().out
    # ten days old: stale with --stale-days 5, so cy may take it without --force
    st = Store(state)
    with st.transaction() as data:
        data["claims"]["refcount:_ADD"]["since"] = (
            datetime.now(timezone.utc) - timedelta(days=10)).isoformat()
    assert main(["claims", "--state", str(state), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["claims"][0]["stale"] is False  # default 30 days
    assert main(["claims", "--state", str(state), "--stale-days", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["claims"][0]["stale"] is True
    assert main(["claim", "refcount:_ADD", "--by", "cy", "--state", str(state)]) == 1
    capsys.readouterr()
    assert main(["claims", "--state", str(state), "--set-stale-days", "5"]) == 0
    capsys.readouterr()
    assert main(["claim", "refcount:_ADD", "--by", "cy", "--state", str(state)]) == 0
    assert "from bob (stale)" in capsys.readouterr().out


def test_claim_without_name_uses_setting(tmp_path, capsys):
    Store(tmp_path / "state.yaml").set_setting("user.name", "dee")
    assert main(["claim", "refcount:_SUB"]) == 0
    assert "claimed by dee" in capsys.readouterr().out


def test_bad_stale_days_is_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["claims", "--stale-days", "0"])
    assert exc.value.code == 2


def test_broken_state_is_reported_not_traceback(tmp_path, capsys):
    (tmp_path / "state.yaml").write_text("claims: [unclosed\n")
    assert main(["claims"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'state.yaml'}:2:1" in err and "Traceback" not in err
