"""Daily use of the CLI (#20): the tasks table on a terminal, claims in it, a read-only
state directory, a token with stray whitespace, text from outside shown escaped."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).with_name("snapshots")
EX = ["--bytecodes", "data/examples/bytecodes.c", "--optimizer", "data/examples/optimizer_bytecodes.c"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIT_TRACKER", "GITHUB_TOKEN"))}
    env.update(JIT_TRACKER_CACHE_DIR=str(tmp_path / "cache"), JIT_TRACKER_STATE=str(tmp_path / "state.yaml"),
               PYTHONWARNINGS="ignore", **extra)
    return env


def on_terminal(args: list[str], cols: int, env: dict[str, str], rows: int = 40) -> tuple[int, str, str]:
    """Run jit-tracker with stdout on a pseudo-terminal ``cols`` wide: (status, stdout, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    err = proc.stderr.read()
    proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, out.decode().replace("\r\n", "\n"), err.decode()


def piped(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, **kw)


def claim(env, task_id: str, by: str) -> None:
    done = piped(["claim", task_id, "--by", by, *EX], env)
    assert done.returncode == 0, done.stderr


# ----------------------------------------------------------------------------- tasks table

@pytest.mark.parametrize("cols", [80, 120])
def test_tasks_table_fits_the_terminal_one_line_a_task(tmp_path, cols):
    env = env_for(tmp_path)
    claim(env, "refcount:_ADD", "ada")
    status, out, err = on_terminal(["tasks", *EX], cols, env)
    assert status == 0, err
    lines = out.splitlines()
    total = json.loads(piped(["tasks", *EX, "--json"], env).stdout)["tasks"]
    assert len(lines) == 2 + len(total)  # the title, the header, one line a task
    assert all(len(line) <= cols for line in lines), max(lines, key=len)
    assert lines[1].split()[:2] == ["id", "share"] and "claimed by" in lines[1]
    row = next(line for line in lines if line.startswith("refcount:_ADD "))
    assert "ada" in row
    expected = (SNAPSHOTS / f"tasks-{cols}.txt").read_text(encoding="utf-8")
    assert out == expected


def test_ready_tasks_leave_out_claimed_ones(tmp_path):
    env = env_for(tmp_path)
    before = json.loads(piped(["tasks", *EX, "--ready", "--json"], env).stdout)["tasks"]
    assert "refcount:_ADD" in {t["id"] for t in before}
    claim(env, "refcount:_ADD", "ada")
    after = json.loads(piped(["tasks", *EX, "--ready", "--json"], env).stdout)["tasks"]
    assert {t["id"] for t in after} == {t["id"] for t in before} - {"refcount:_ADD"}
    status, out, _ = on_terminal(["tasks", *EX, "--ready"], 80, env)
    assert status == 0 and "refcount:_ADD " not in out
    every = piped(["tasks", *EX], env).stdout  # piped: whole columns, the claim shown
    assert "claimed by" in every.splitlines()[1]
    assert any(line.startswith("refcount:_ADD ") and " ada " in line + " " for line in every.splitlines())


def test_unknown_task_id_is_an_error(tmp_path):
    done = piped(["tasks", *EX, "--id", "refcount:_ADDD"], env_for(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-2:] == [
        "jit-tracker: error: unknown task 'refcount:_ADDD'",
        "  hint: did you mean refcount:_ADD, refcount:_ADD_STR, refcount:_ADD_INT?"]
    assert done.stdout == ""


# ----------------------------------------------------------------------------- the token

TOKEN = "ghp_daily0SECRET0token"


@pytest.mark.parametrize("stray", ["\r", "\n", "\r\n", " "])
def test_a_pasted_token_is_stripped_and_never_shown(tmp_path, httpserver, stray):
    """A token pasted with a line ending: sent stripped, never in any output."""
    httpserver.expect_request(re.compile("/.*")).respond_with_json({"message": "Not Found"}, status=404)
    base = httpserver.url_for("").rstrip("/")
    env = env_for(tmp_path, GITHUB_TOKEN=stray + TOKEN + stray)
    runs = [piped(["tasks", "--github", "octo/cpython@main", "--base-url", base], env),
            piped(["sync", *EX, "--repo", "octo/cpython", "--base-url", base, "--apply"], env)]
    claim(env, "refcount:_ADD", "ada")
    runs.append(piped(["release", "refcount:_ADD", "--comment", "--repo", "octo/cpython", "--base-url", base], env))
    for done in runs:
        assert "Traceback" not in done.stderr, done.stderr
        assert TOKEN not in done.stdout + done.stderr
    sent = [dict(request.headers).get("Authorization") for request, _ in httpserver.log]
    assert sent and set(sent) == {f"token {TOKEN}"}


def test_a_token_with_a_space_inside_is_refused_unshown(tmp_path):
    env = env_for(tmp_path, GITHUB_TOKEN=f"{TOKEN[:6]} {TOKEN[6:]}\n")
    done = piped(["sync", *EX, "--repo", "octo/cpython", "--base-url", "http://127.0.0.1:9", "--apply"], env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "token holds spaces or control characters" in done.stderr
    assert TOKEN[:6] not in done.stdout + done.stderr and TOKEN[6:] not in done.stdout + done.stderr


# ----------------------------------------------------------------------------- text from outside

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def test_control_characters_from_a_file_are_escaped(tmp_path):
    bad = tmp_path / "bytecodes.c"
    bad.write_bytes(b"// BEGIN BYTECODES //\ninst(X, (a -- )) { " + ESCAPES.encode() + b"\n// END BYTECODES //\n")
    done = piped(["defs", str(bad)], env_for(tmp_path))
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[1] == "    inst(X, (a -- )) { \\x1b]0;pwned\\x07\\x1b[2J"
    assert lines[2] == "    " + " " * (lines[1].index("{") - 4) + "^"
    binary = tmp_path / "binary.c"
    binary.write_bytes(bytes(range(256)) * 2)
    done = piped(["defs", str(binary)], env_for(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not any(ch in done.stderr for ch in "\x1b\x07\x00\x9b")


def test_names_from_a_user_are_bounded(tmp_path):
    env = env_for(tmp_path)
    for name in ("ada" + ESCAPES, "two\nlines", "x" * 5000, "-leading"):
        done = piped(["claim", "refcount:_ADD", f"--by={name}", *EX], env)
        assert done.returncode == 2, done.stderr
        assert "\x1b" not in done.stderr and len(done.stderr) < 400
        assert "Traceback" not in done.stderr
    done = piped(["claim", "refcount:_ADD", "--by", "Grace Hopper", "--note", "see\x1b[2J" + "y" * 20, *EX], env)
    assert done.returncode == 0, done.stderr
    status, out, _ = on_terminal(["claims"], 80, env)
    assert status == 0 and "\x1b[2J" not in out and "see\\x1b[2J" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_names_from_github_or_a_hand_edited_state_are_escaped(tmp_path):
    """Claims a sync stored (a login from GitHub) or a hand edit put in the state file."""
    state = tmp_path / "state.yaml"
    evil = "mallory" + ESCAPES + "\nfake row"
    import yaml

    state.write_text(yaml.safe_dump({"version": 2, "claims": {
        "refcount:_ADD": {"by": evil, "since": "2026-12-01T00:00:00Z", "source": "comment",
                          "url": "https://github.com/o/r/issues/1#c" + ESCAPES},
        "refcount:_ADD_STR": {"by": "z" * 5000, "since": "2026-12-01T00:00:00Z", "source": "local"}}}))
    env = env_for(tmp_path)
    for args in (["claims"], ["tasks", *EX]):
        done = piped(args, env)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        assert "\nfake row" not in done.stdout
        assert max(len(line) for line in done.stdout.splitlines()) < 400
        status, out, _ = on_terminal(args, 80, env)
        assert status == 0 and "\x1b" not in out
        assert all(len(line) <= 80 for line in out.splitlines())


# ----------------------------------------------------------------------------- read-only state

@pytest.mark.parametrize("args", [["claim", "refcount:_ADD", "--by", "ada", *EX], ["release", "refcount:_ADD"],
                                  ["claims", "--set-stale-days", "5"]])
def test_an_unwritable_state_directory_is_a_clear_error(tmp_path, args):
    from tests.tui.test_daily import unwritable_dir

    state = unwritable_dir(tmp_path) / "state.yaml"
    done = piped([*args, "--state", str(state)], env_for(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    error = [line for line in done.stderr.splitlines() if "error" in line]
    assert error == [f"jit-tracker: error: {state}: cannot write the state: "
                     f"{state.with_name('state.yaml.lock')}: Permission denied"]
    assert f"hint: make {state.parent} writable" in done.stderr


# ----------------------------------------------------------------------------- tui without a terminal

def test_tui_without_a_terminal_refuses_at_once(tmp_path):
    """Piped (cron, CI): it drew escape codes into the pipe forever at full CPU."""
    for stdin in (subprocess.DEVNULL, None):
        done = piped(["tui", *EX], env_for(tmp_path), stdin=stdin) if stdin is not None else None
        if done is None:  # input a terminal-less pipe too, output piped
            done = subprocess.run([sys.executable, "-m", "tracker", "tui", *EX], cwd=ROOT, env=env_for(tmp_path),
                                  input="", capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.splitlines()[0].startswith("jit-tracker: error: 'tui' needs a terminal")
        assert "\x1b" not in done.stderr
    # output on a terminal, input not (cron with a tty, `< /dev/null`)
    status, out, err = on_terminal(["tui", *EX], 80, env_for(tmp_path))
    assert status == 2 and "needs a terminal, but its input is not one" in err


# ----------------------------------------------------------------------------- nothing answers

def test_sync_to_a_closed_port_says_what_it_waits_for_and_stops_soon(tmp_path):
    import socket
    import time

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    done = piped(["sync", *EX, "--repo", "octo/cpython", "--base-url", base], env_for(tmp_path))
    took = time.monotonic() - started
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert took < 15, took  # it retried for 30 s in silence
    waiting = [line for line in done.stderr.splitlines() if "trying again" in line]
    assert waiting and base in waiting[0]
    assert f"error: listing the issues of octo/cpython: connection failed (ConnectionError) at {base}" in done.stderr


def test_claim_comment_with_a_repo_does_not_ask_for_one(tmp_path):
    env = env_for(tmp_path, GITHUB_TOKEN=TOKEN)
    done = piped(["claim", "refcount:_ADD", "--by", "ada", "--comment", "--repo", "octo/jit-tasks", *EX], env)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "kept locally" in line]
    assert said == ["jit-tracker: kept locally: no issue of refcount:_ADD (nor a tracking issue) is known on "
                    "octo/jit-tasks; run 'jit-tracker sync --repo octo/jit-tasks' once to file or find them"]
    assert "pass --repo" not in done.stderr and TOKEN not in done.stdout + done.stderr
