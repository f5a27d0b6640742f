"""The one module that runs ``git``.

Every question jit-tracker asks a repository goes through :func:`run` (which raises
:class:`TrackerError` with git's own message) or :func:`ask` (which answers None when
git is missing or refuses: for optional facts such as a checkout's commit date).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import TrackerError

TIMEOUT = 60  # seconds; a local git answers these questions in milliseconds


def _git(repo: str | os.PathLike[str] | None, args: tuple[str, ...],
         input: str | None) -> subprocess.CompletedProcess[str]:
    command = ["git", *(("-C", str(repo)) if repo is not None else ()), *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, input=input,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT)
    except OSError as exc:
        raise TrackerError(f"cannot run git: {exc.strerror}", hint="install git") from None
    except subprocess.TimeoutExpired:
        raise TrackerError(f"git {args[0]} took over {TIMEOUT} s in {repo}") from None


def run(repo: str | os.PathLike[str] | None, *args: str, input: str | None = None) -> str:
    """git's standard output for ``git -C repo ARGS``; TrackerError when it fails."""
    out = _git(repo, args, input)
    if out.returncode != 0:
        where = f" in {repo}" if repo is not None else ""
        raise TrackerError(f"git {args[0]} failed{where}: {out.stderr.strip()}")
    return out.stdout


def ask(repo: str | os.PathLike[str] | None, *args: str) -> str | None:
    """git's answer without its trailing newline, or None when git is missing or fails."""
    try:
        return run(repo, *args).strip()
    except TrackerError:
        return None


def show(repo: str | os.PathLike[str], rev: str, path: str) -> str | None:
    """The text of ``path`` at ``rev``, or None when it is not there."""
    try:
        return run(repo, "show", f"{rev}:{path}")
    except TrackerError:
        return None


def head(repo: str | os.PathLike[str]) -> tuple[str | None, str | None]:
    """Revision and commit date (ISO 8601, as git prints it) of HEAD; (None, None) when
    ``repo`` is no git work tree or git cannot tell."""
    if not (Path(repo) / ".git").exists():
        return None, None
    parts = (ask(repo, "log", "-1", "--format=%H %cI") or "").split()
    return (parts[0], parts[1]) if len(parts) == 2 else (None, None)


def head_revision(root: str | os.PathLike[str]) -> str | None:
    """The commit HEAD names, read from the checkout's ``.git`` files (a ref, or
    ``packed-refs``) without starting git; None when that is not simple. Used only to
    find an answer of :func:`head` kept before (a commit's date never changes)."""
    try:
        dirs = _git_dirs(Path(root))
        if dirs is None:
            return None
        gitdir, common = dirs
        text = (gitdir / "HEAD").read_text(encoding="utf-8").strip()
        if not text.startswith("ref: "):
            return text if _is_object_id(text) else None
        ref = text[len("ref: "):]
        for base in (gitdir, common):
            if (base / ref).is_file():
                value = (base / ref).read_text(encoding="utf-8").strip()
                return value if _is_object_id(value) else None
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                parts = line.split(" ")
                if len(parts) == 2 and parts[1] == ref and _is_object_id(parts[0]):
                    return parts[0]
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _git_dirs(root: Path) -> tuple[Path, Path] | None:
    """A checkout's git directory and common directory (they differ in linked worktrees)."""
    dotgit = root / ".git"
    if dotgit.is_file():  # a linked worktree: "gitdir: PATH"
        text = dotgit.read_text(encoding="utf-8").strip()
        if not text.startswith("gitdir:"):
            return None
        gitdir = (root / text[len("gitdir:"):].strip()).resolve()
        common = gitdir
        if (gitdir / "commondir").is_file():
            common = (gitdir / (gitdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        return gitdir, common
    return (dotgit, dotgit) if dotgit.is_dir() else None


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def config(key: str) -> str | None:
    """A git setting (``user.name``), or None when unset or git is missing."""
    return ask(None, "config", key) or None


def remote_url(repo: str | os.PathLike[str], name: str = "origin") -> str | None:
    return ask(repo, "remote", "get-url", name) or None


# --------------------------------------------------------------------------- history's walk


def repository(directory: str | os.PathLike[str]) -> str | None:
    """The work tree's top directory, or the git directory of a bare clone (a mirror);
    None when ``directory`` is in no git repository."""
    out = _git(directory, ("rev-parse", "--is-bare-repository", "--show-toplevel"), None)
    lines = out.stdout.split("\n")
    if lines[0] == "true":  # git answers the first question, then refuses the second
        return str(Path(directory).resolve())
    if out.returncode != 0 or len(lines) < 2 or not lines[1]:
        return None
    return lines[1].strip()


def object_ids(repo: str | os.PathLike[str], specs: list[str], kind: str = "blob") -> list[str | None]:
    """The id of each ``REV:PATH`` (one ``git cat-file --batch-check`` for all), None
    where there is no such object or it is not a ``kind``."""
    if not specs:
        return []
    out = run(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)",
              input="\n".join(specs) + "\n").splitlines()
    if len(out) != len(specs):
        raise TrackerError(f"git cat-file gave {len(out)} answers for {len(specs)} questions in {repo}")
    ids: list[str | None] = []
    for answer in out:
        parts = answer.split()
        ids.append(parts[0] if len(parts) == 2 and parts[1] == kind else None)
    return ids


class BlobReader:
    """One ``git cat-file --batch`` process answering blob ids for a whole walk.

    git runs in a session of its own: Ctrl-C interrupts jit-tracker, which then closes
    it, rather than killing it under a read.
    """

    def __init__(self, repo: str | os.PathLike[str], keep: int = 16):
        from collections import OrderedDict

        try:
            self._proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise TrackerError(f"cannot run git: {exc.strerror}", hint="install git") from None
        self._recent: OrderedDict[str, bytes] = OrderedDict()  # the optimizer blob rarely changes
        self._keep = keep
        self.reads = 0

    def read(self, oid: str) -> bytes:
        if oid in self._recent:
            self._recent.move_to_end(oid)
            return self._recent[oid]
        assert self._proc.stdin and self._proc.stdout
        try:
            self._proc.stdin.write(oid.encode() + b"\n")
            self._proc.stdin.flush()
        except BrokenPipeError:
            raise TrackerError(f"git cat-file stopped before reading blob {oid}") from None
        header = self._proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise TrackerError(f"git cat-file: cannot read blob {oid}")
        size = int(header[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)  # the newline after each object
        self.reads += 1
        self._recent[oid] = data
        if len(self._recent) > self._keep:
            self._recent.popitem(last=False)
        return data

    def close(self) -> None:
        if self._proc.stdin:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        self._proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
