"""The one cache: what it keeps, where, and what it never throws away."""

from __future__ import annotations

import os
from pathlib import Path

from tracker import livescan, paths, scancache, snapshot, sources
from tracker.tasks import Task, TaskSet

ROOT = Path(__file__).resolve().parent.parent


def live_taskset() -> TaskSet:
    source = {"origin": "github:python/cpython@main", "bytecodes": "Python/bytecodes.c",
              "optimizer": "Python/optimizer_bytecodes.c", "revision": "a" * 40,
              "date": "2099-01-01T00:00:00+00:00", "repository": "python/cpython", "ref": "main",
              "blobs": ["b" * 40, "c" * 40]}
    return TaskSet(source, [Task("refcount:_A", "refcount", "Eliminate refcounting in _A", "_A", ["A"])], [])


def test_the_live_scan_outlives_any_number_of_cached_scans():
    livescan.save(live_taskset())
    for i in range(200):  # more scans than the cache keeps
        entry = {"tasks": [], "instructions": [], "counts": {}, "names": [f"bytecodes-{i}.c", None]}
        scancache.store(f"{i:040x}", None, entry)
    live, notice = livescan.load()
    assert notice is None and live is not None and [t.id for t in live.tasks] == ["refcount:_A"]
    shown, _ = livescan.newest()  # the newest data at hand is still the user's live scan
    assert shown.source.get("snapshot") == "live-cache"


def test_shipped_data_is_parsed_into_the_user_cache_and_never_into_the_installation():
    from tracker.rules import config

    def files() -> dict[str, float]:
        return {str(p): p.stat().st_mtime for p in paths.DATA_DIR.rglob("*")}

    before = files()
    config.load_rules()
    snapshot.load_bundled()
    snapshot.bundled_source()
    assert files() == before  # nothing made or touched where jit-tracker is installed
    kept = [p for p in Path(scancache.directory()).rglob("*") if p.is_file()]
    assert kept, "the parsed rule data and snapshot are kept in the user cache"


def test_checkout_paths_are_cut_whichever_separator_the_platform_uses():
    root = "C:\\src\\cpython"
    assert sources.strip_root("C:\\src\\cpython\\Python\\bytecodes.c:42", root) == "Python/bytecodes.c:42"
    assert sources.strip_root(["C:\\src\\cpython\\Python\\x.c"], root + "\\") == ["Python/x.c"]
    assert sources.strip_root({"f": "/src/cpython/Python/bytecodes.c"}, "/src/cpython/") == \
        {"f": "Python/bytecodes.c"}
    assert sources.strip_root("C:\\src\\cpython-other\\x.c", root) == "C:\\src\\cpython-other\\x.c"
    text = sources.SourceText("C:\\src\\cpython\\Python\\bytecodes.c", "")
    srcs = sources.SourceSet(text, None, root)
    assert scancache.display_names(srcs) == ["Python/bytecodes.c", None]


def test_undoing_a_tests_patches_keeps_the_cache_and_state_private(monkeypatch):
    home = Path(os.path.expanduser("~"))
    monkeypatch.undo()  # what a test may do mid-way: the session's own directories remain
    assert home not in paths.cache_dir().parents
    assert home not in Path(paths.state_path()).parents
