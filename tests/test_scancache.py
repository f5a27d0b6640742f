"""The scan cache: kept by the files' blob ids and the rules, shared with history."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import git, history, scancache, sources
from tracker.store import Store

from .gitrepo import Repo, optimizer, real_bytecodes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"


def checkout(root: Path) -> Path:
    (root / "Python").mkdir(parents=True)
    shutil.copy(EXAMPLES / "bytecodes.c", root / BC)
    shutil.copy(EXAMPLES / "optimizer_bytecodes.c", root / OPT)
    return root


def entries() -> list[str]:
    folder = Path(scancache.directory())
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_blob_id_is_gits(tmp_path):
    f = tmp_path / "x.c"
    f.write_bytes("op(_A, (x --)) { DEAD(x); }\n// é\n".encode())
    git = subprocess.run(["git", "hash-object", str(f)], capture_output=True, text=True, check=True)
    assert sources.read_file(f).blob_id() == sources.blob_id(f.read_bytes()) == git.stdout.strip()
    text = sources.SourceText("x", "t")
    given = sources.SourceSet(text, text, "github:o/n@main", blobs=("given-1", "given-2"))
    assert given.blob_ids() == ("given-1", "given-2")
    assert sources.SourceSet(text, None, "files").blob_ids() == (sources.blob_id(b"t"), None)


def test_cache_is_per_test_and_not_the_users():
    assert scancache.directory() == os.environ[scancache.ENV_VAR]
    assert entries() == []


def test_rerun_loads_the_same_result(tmp_path):
    srcs = sources.from_checkout(checkout(tmp_path / "cpython"))
    first = scancache.scan(srcs)
    assert not first.cached and len(list((Path(scancache.directory()) / "scans").iterdir())) == 1
    again = scancache.scan(srcs)
    assert again.cached
    assert again.taskset.to_json(with_excerpt=True) == first.taskset.to_json(with_excerpt=True)
    assert again.taskset.instructions == first.taskset.instructions
    assert again.counts == first.counts and again.counts["instructions"] > 0
    assert again.taskset.source == first.taskset.source == srcs.provenance()


def test_changed_contents_or_rules_miss(tmp_path):
    root = checkout(tmp_path / "cpython")
    scancache.scan(sources.from_checkout(root))
    with open(root / OPT, "a", encoding="utf-8") as f:
        f.write("\n// a comment changes the blob\n")
    assert not scancache.scan(sources.from_checkout(root)).cached
    srcs = sources.from_checkout(root)
    bc, opt = srcs.bytecodes.blob_id(), srcs.optimizer.blob_id()
    assert scancache.load(bc, opt) is not None
    assert scancache.load(bc, opt, rules="other-rules") is None


def test_another_checkout_or_file_names_reuse_the_entry(tmp_path):
    one = scancache.scan(sources.from_checkout(checkout(tmp_path / "a")))
    two = scancache.scan(sources.from_checkout(checkout(tmp_path / "b")))
    assert two.cached  # same contents elsewhere: paths inside are relative to the checkout
    assert [t.to_json() for t in two.taskset.tasks] == [t.to_json() for t in one.taskset.tasks]
    assert two.taskset.source["origin"] == str(tmp_path / "b")
    # the same files named by path: results name them so, hence scanned again, then kept
    b, o = tmp_path / "b" / BC, tmp_path / "b" / OPT
    files = scancache.scan(sources.from_files(str(b), str(o)))
    assert not files.cached and any(t.file == str(b) for t in files.taskset.tasks)
    again = scancache.scan(sources.from_files(str(b), str(o)))
    assert again.cached
    assert [t.to_json() for t in again.taskset.tasks] == [t.to_json() for t in files.taskset.tasks]
    assert again.taskset.instructions == files.taskset.instructions


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_corrupt_entries_are_ignored_and_rewritten(tmp_path, damage):
    srcs = sources.from_checkout(checkout(tmp_path / "cpython"))
    scancache.scan(srcs)
    (path,) = (Path(scancache.directory()) / "scans").iterdir()
    data = path.read_bytes()
    broken = {"truncate": data[: len(data) // 2], "empty": b"",
              "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
              "garbage": b"not a cache entry at all"}[damage]
    path.write_bytes(broken)
    again = scancache.scan(srcs)
    assert not again.cached and again.taskset.tasks
    assert path.read_bytes() == data  # rewritten whole
    assert scancache.scan(srcs).cached


def test_no_cache_neither_reads_nor_writes(tmp_path):
    srcs = sources.from_checkout(checkout(tmp_path / "cpython"))
    assert not scancache.scan(srcs, use_cache=False).cached
    assert entries() == []
    scancache.scan(srcs)
    assert not scancache.scan(srcs, use_cache=False).cached


def test_an_unwritable_cache_never_stops_a_scan(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(scancache.ENV_VAR, str(blocker / "cache"))
    srcs = sources.from_checkout(checkout(tmp_path / "cpython"))
    assert scancache.scan(srcs).taskset.tasks
    assert not scancache.scan(srcs).cached
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_disabled_reads_and_writes_nothing():
    from tracker import cache

    assert cache.write("scans", "x", [1, 2])
    with cache.disabled():
        assert cache.read("scans", "x") is None and not cache.write("scans", "y", 1)
    assert cache.read("scans", "x") == [1, 2] and entries() == ["scans"]


def test_each_kind_keeps_its_own_newest_entries(monkeypatch):
    from tracker import cache

    monkeypatch.setitem(cache.BOUNDS, "scans", 3)
    assert cache.write("commits", "c", "2025-01-01T00:00:00+00:00")
    for i in range(5):
        assert cache.write("scans", f"s{i}", {"n": i})
        os.utime(Path(scancache.directory()) / "scans" / f"s{i}.json", (1000 + i, 1000 + i))
    assert sorted(p.name for p in (Path(scancache.directory()) / "scans").iterdir()) == \
        ["s2.json", "s3.json", "s4.json"]
    assert cache.read("scans", "s4") == {"n": 4} and cache.read("scans", "s0") is None
    assert cache.read("commits", "c")  # another kind is not touched


def test_a_damaged_or_foreign_entry_reads_as_missing():
    from tracker import cache

    assert cache.write("scans", "x", {"a": 1})
    path = Path(scancache.directory()) / "scans" / "x.json"
    path.write_bytes(path.read_bytes()[:-2])
    assert cache.read("scans", "x") is None
    path.write_text('{"format": 1, "key": "x", "value": {"a": 1}}')
    assert cache.read("scans", "x") is None


def test_history_uses_full_scans_of_other_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    repo = Repo(tmp_path / "cpython")
    repo.commit({BC: real_bytecodes({"_A": False, "_B": False}), OPT: optimizer(["_A"])},
                "Start", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    repo.commit({BC: real_bytecodes({"_A": True, "_B": False})},
                "Convert _A (#1)", "Bob Smith", "2025-02-01T10:00:00+00:00")
    scanned = scancache.scan(sources.from_checkout(repo.path))  # what `tasks CPYTHON_DIR` does
    assert not scanned.cached
    res = history.record(Store(tmp_path / "state.yaml"), repo.path, jobs=1)
    assert (res.scanned, res.cached) == (1, 1)  # the checkout's own pair came from the cache
    assert res.revisions[-1]["flipped"] == ["refcount:_A"]
    assert res.revisions[-1]["counts"] == history.summarize(scanned.taskset)["counts"]
    assert (Path(scancache.directory()) / "history" / (history.Summaries.name() + ".json")).is_file()
    again = history.record(Store(tmp_path / "state.yaml"), repo.path, jobs=1)
    assert (again.scanned, again.cached) == (0, 2)


def test_checkout_head_without_git_once_seen(tmp_path, monkeypatch):
    repo = Repo(tmp_path / "cpython")
    repo.commit({BC: real_bytecodes({"_A": False})}, "Start", "Ada Lovelace", "2025-01-01T10:00:00+00:00")
    expected = git.head(repo.path)
    assert expected[0] and expected[1]
    assert git.head_revision(repo.path) == expected[0]
    repo.git("pack-refs", "--all")  # the branch now lives in packed-refs only
    assert git.head_revision(repo.path) == expected[0]
    assert scancache.checkout_head(repo.path) == expected
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # git cannot be run any more
    assert git.head(repo.path) == (None, None)
    assert scancache.checkout_head(repo.path) == expected  # the date was kept by commit id


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "relative/ignored", "/somewhere/here"])
def test_default_directories_are_platformdirs(monkeypatch, xdg):
    import platformdirs

    from tracker import paths
    from tracker.store import default_path

    monkeypatch.delenv(scancache.ENV_VAR)
    monkeypatch.delenv("JIT_TRACKER_STATE", raising=False)
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert scancache.directory() == platformdirs.user_cache_dir("jit-tracker", appauthor=False)
    assert str(paths.cache_dir()) == scancache.directory()
    assert str(default_path().parent) == platformdirs.user_data_dir("jit-tracker", appauthor=False)


def test_results_name_no_local_path(tmp_path):
    """Wherever a checkout lies, what a scan shows reads the same and ships no local path."""
    import json

    texts = []
    for where in ("one", "other place"):
        root = checkout(tmp_path / where / "cpython")
        ts = scancache.scan(sources.from_checkout(root), use_cache=False).taskset
        data = ts.to_json(with_excerpt=True)
        text = json.dumps([data["tasks"], ts.instructions])
        assert str(tmp_path) not in text
        texts.append(text)
    assert texts[0] == texts[1]
    assert '"Python/bytecodes.c"' in texts[0]
