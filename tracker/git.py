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
