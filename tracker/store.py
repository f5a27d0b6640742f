"""The user's state: claims, GitHub issue links, pull requests, checklist marks, settings.

One YAML file (``$JIT_TRACKER_STATE``, ``--state PATH``, or the platform's user data
directory). Several processes may use it at once (two terminals claiming, a sync in the
background), so every change is read-modify-write under a file lock and lands with an
atomic rename; a copy of the previous file is kept as ``<name>.bak``. A file that does
not parse or has the wrong shape is reported with its location and never rewritten.
The history walk's results sit beside it (``<name>.history.json``, see
:mod:`tracker.historyfile`); scan results are derived data and live in the user cache
directory (tracker.scancache).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .atomic import copy, locked, write_text
from .errors import DataError, TrackerError
from .historyfile import HistoryFile
from .paths import STATE_ENV as ENV_VAR

VERSION = 2  # 2: claim sources assignee/comment/pull, pulls and checklist sections
DEFAULT_STALE_DAYS = 30



def _yaml() -> tuple[Any, Any, Any]:
    """PyYAML, with libyaml's loader and dumper when built with them (~10x faster on a long
    history). Imported on first use: a command whose state file does not exist yet, the
    common case of a listing, never pays for it."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader, yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        return yaml, yaml.SafeLoader, yaml.SafeDumper


CLAIM_SOURCES = ("local", "assignee", "comment", "pull")
REMOTE_SOURCES = ("assignee", "comment", "pull")


@dataclass
class Claim:
    """Someone working on a task: recorded here (``local``), or read from GitHub by sync:
    an issue's ``assignee``, a ``comment`` claiming it, a ``pull`` request working on it."""

    task_id: str
    by: str
    since: str  # ISO 8601, UTC
    note: str | None = None
    source: str = "local"
    issue: str | None = None  # URL of the task's GitHub issue, when there is one
    url: str | None = None  # where the claim was made: the comment, pull request or issue

    def to_json(self) -> dict[str, Any]:
        values = ((f.name, getattr(self, f.name)) for f in fields(self) if f.name != "task_id")
        return {k: v for k, v in values if v is not None}


def default_path() -> Path:
    from .paths import state_path

    return Path(state_path())


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or time; naive values are taken as UTC."""
    value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


class Store:
    """Access to one state file. Reads always see the file as it is now."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, stale_days: int | None = None):
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._stale_days = stale_days

    # ----------------------------------------------------------------- reading

    def load(self) -> dict[str, Any]:
        """The whole state, migrated to the current version (empty when no file yet)."""
        if not self.path.exists():
            return _empty()
        if self.path.is_dir():
            raise DataError(f"{self.path}: is a directory, expected a state file",
                            hint=f"pass a file path with --state or ${ENV_VAR}")
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"{self.path}: not UTF-8 text (byte {exc.start})",
                            hint=self._keep_hint()) from None
        except OSError as exc:
            raise DataError(f"{self.path}: cannot read: {exc.strerror}") from None
        return self._parse(text)

    def _parse(self, text: str) -> dict[str, Any]:
        yaml, loader, _ = _yaml()
        try:
            data = yaml.load(text, Loader=loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"{self.path}:{mark.line + 1}:{mark.column + 1}" if mark else str(self.path)
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataError(f"{where}: broken state file: {problem}", hint=self._keep_hint()) from None
        if data is None:
            return _empty()
        if not isinstance(data, dict):
            raise self._shape_error(text, [], "the state must be a mapping of sections")
        return _migrate(data, lambda keys, msg: self._shape_error(text, keys, msg))

    def _shape_error(self, text: str, keys: list[Any], message: str) -> DataError:
        line, col = _locate(text, keys)
        return DataError(f"{self.path}:{line}:{col}: {message}", hint=self._keep_hint())

    def _keep_hint(self) -> str:
        hint = "fix the file by hand; jit-tracker will not overwrite it"
        if self.backup_path.exists():
            hint += f" (the previous version is in {self.backup_path})"
        return hint

    # ----------------------------------------------------------------- writing

    @contextmanager
    def transaction(self) -> Iterator[dict[str, Any]]:
        """Lock, load, let the caller change the data, then write it atomically."""
        with locked(self.path, self.lock_path, "cannot write the state", self._unwritable_hint()):
            data = self.load()
            yield data
            self._write(data)

    def _unwritable_hint(self) -> str:
        return f"make {self.path.parent} writable, or choose another file with --state or ${ENV_VAR}"

    def _write(self, data: dict[str, Any]) -> None:
        data["version"] = VERSION
        yaml, _, dumper = _yaml()
        text = yaml.dump(_ordered(data), Dumper=dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=100)
        if self.path.exists():
            copy(self.path, self.backup_path)
        write_text(self.path, text)

    # ----------------------------------------------------------------- settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self.load()["settings"].get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as data:
            if value is None:
                data["settings"].pop(key, None)
            else:
                data["settings"][key] = value

    @property
    def stale_days(self) -> int:
        if self._stale_days is not None:
            return self._stale_days
        value = self.get_setting("claims.stale_days", DEFAULT_STALE_DAYS)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DataError(f"{self.path}: setting claims.stale_days must be a whole number of days "
                            f"(1 or more), not {value!r}")
        return value

    @stale_days.setter
    def stale_days(self, value: int | None) -> None:
        self._stale_days = value

    # ----------------------------------------------------------------- claims

    def claims(self) -> dict[str, Claim]:
        return _claims_of(self.load())

    def is_stale(self, claim: Claim, now: datetime | None = None) -> bool:
        now = now or datetime.now(timezone.utc)
        try:
            since = parse_time(claim.since)
        except ValueError:
            return True  # an unreadable date cannot prove the claim is fresh
        return now - since > timedelta(days=self.stale_days)

    def claim(self, task_id: str, by: str, note: str | None = None, *, force: bool = False,
              known: Iterable[str] | None = None, done: Iterable[str] | None = None) -> Claim:
        """Record that ``by`` works on ``task_id``; refuses unknown, done or held tasks."""
        from .text import check_name, clean

        by = check_name(by, "a claimant's name")  # one line, bounded: it is shown everywhere
        if known is not None:
            known = set(known)
            if task_id not in known:
                import difflib

                close = difflib.get_close_matches(task_id, sorted(known), n=3)
                raise TrackerError(
                    f"unknown task {clean(task_id)!r}",
                    hint=("did you mean " + ", ".join(close) + "?") if close
                    else "list the tasks with 'jit-tracker tasks'",
                )
        if done is not None and task_id in set(done):
            raise TrackerError(f"task {task_id!r} is already done; nothing to claim",
                               hint="list open tasks with 'jit-tracker tasks'")
        stale_days = self.stale_days
        with self.transaction() as data:
            current = data["claims"].get(task_id)
            if current is not None:
                held = _claim_from(task_id, current)
                if held.by != by and not force and not self.is_stale(held):
                    raise TrackerError(
                        f"{task_id} is claimed by {held.by} since {held.since[:10]}",
                        hint=f"a claim goes stale after {stale_days} days; "
                        "take it over now with --force if you agreed with them",
                    )
                if held.by == by:
                    held.note = note if note is not None else held.note
                    held.source = "local"
                    data["claims"][task_id] = held.to_json()
                    return held
            new = Claim(task_id, by, now_iso(), note,
                        issue=_claim_from(task_id, current).issue if current else None)
            data["claims"][task_id] = new.to_json()
            return new

    def annotate_claim(self, task_id: str, **fields: Any) -> None:
        """Add what became known about a claim (the comment it was posted as, ``url=``)."""
        with self.transaction() as data:
            if task_id in data["claims"]:
                data["claims"][task_id].update({k: v for k, v in fields.items() if v is not None})

    def release(self, task_id: str) -> Claim:
        with self.transaction() as data:
            current = data["claims"].pop(task_id, None)
            if current is None:
                raise TrackerError(f"{task_id} is not claimed",
                                   hint="see current claims with 'jit-tracker claims'")
            return _claim_from(task_id, current)

    def merge_github_claims(self, items: list[tuple[str, str, str]]) -> None:
        """Take GitHub assignees as claims: ``items`` is every (task_id, login, issue_url) now."""
        self.merge_remote_claims([Claim(t, login, now_iso(), None, "assignee", url, url) for t, login, url in items],
                                 sources=("assignee",))

    def merge_remote_claims(self, remote: Iterable[Claim], sources: Iterable[str] = REMOTE_SOURCES) -> None:
        """Replace what GitHub said (claims of ``sources``) with ``remote``, the newest per task.

        A local claim is never overwritten (it only gains the issue link); a remote claim
        of another source than ``sources`` is kept; a claim GitHub still shows for the same
        person keeps its first date.
        """
        sources = set(sources)
        wanted: dict[str, Claim] = {}
        for c in remote:
            if c.task_id not in wanted or c.since > wanted[c.task_id].since:
                wanted[c.task_id] = c
        with self.transaction() as data:
            claims = data["claims"]
            for task_id in list(claims):
                c = _claim_from(task_id, claims[task_id])
                if c.source in sources and task_id not in wanted:
                    del claims[task_id]
            for task_id, new in wanted.items():
                current = claims.get(task_id)
                old = _claim_from(task_id, current) if current is not None else None
                if old is not None and (old.source == "local" or old.source not in sources):
                    if new.issue and old.issue != new.issue:
                        old.issue = new.issue
                        claims[task_id] = old.to_json()
                    continue
                if old is not None and old.by.lower() == new.by.lower() and old.source == new.source \
                        and old.since < new.since:
                    new.since = old.since
                claims[task_id] = new.to_json()

    def record_campaign(self, claims: Iterable[Claim], pulls: dict[str, dict[str, Any]],
                        checklist: dict[str, dict[str, Any]], github: dict[str, Any]) -> None:
        """What a sync read of the campaign: remote claims, pull requests per task, what the
        tracking issues tick or cross out, and where it read them (settings ``github``)."""
        self.merge_remote_claims(claims)
        with self.transaction() as data:
            data["pulls"] = {k: dict(v) for k, v in sorted(pulls.items())}
            data["checklist"] = {k: dict(v) for k, v in sorted(checklist.items())}
            data["settings"]["github"] = dict(github)

    def pulls(self) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self.load()["pulls"].items()}

    def checklist(self) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self.load()["checklist"].items()}

    # ----------------------------------------------------------------- issues

    def issues(self) -> dict[str, dict]:
        return {k: dict(v) for k, v in self.load()["issues"].items()}

    def set_issue(self, task_id: str, number: int, url: str, state: str) -> None:
        with self.transaction() as data:
            data["issues"][task_id] = {"number": int(number), "url": url, "state": state}

    def set_issues(self, issues: dict[str, dict[str, Any]]) -> None:
        """Many ``task_id -> {number, url, state}`` in one locked write (a sync's worth)."""
        with self.transaction() as data:
            for task_id, i in issues.items():
                data["issues"][task_id] = {"number": int(i["number"]), "url": i["url"], "state": i["state"]}

    @property
    def history_file(self) -> HistoryFile:
        """The recorded history walk beside this state file (:mod:`tracker.historyfile`)."""
        return HistoryFile(self.path)


# --------------------------------------------------------------------- helpers

SECTIONS = ("settings", "claims", "issues", "pulls", "checklist")


def _empty() -> dict[str, Any]:
    return {"version": VERSION, "settings": {}, "claims": {}, "issues": {}, "pulls": {}, "checklist": {}}


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    out = {"version": data["version"]}
    for key in SECTIONS:
        out[key] = data.get(key, _empty()[key])
    for key, value in data.items():  # keep sections a newer version may have added
        out.setdefault(key, value)
    return out


def _migrate(data: dict[str, Any], error: Callable[[list[Any], str], DataError]) -> dict[str, Any]:
    """Bring a state of any known version to the current shape, checking it on the way.

    Version 0 (no ``version`` key) kept claims as a list of ``{task, by, date}`` and had
    no issues section.
    """
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise error(["version"], f"version must be a number, not {version!r}")
    if version > VERSION:
        raise error(["version"], f"written by a newer jit-tracker (state version {version}, "
                                 f"this one reads up to {VERSION}); upgrade jit-tracker")
    data = dict(data)
    if version == 0:
        old = data.get("claims") or []
        if isinstance(old, list):
            claims = {}
            for i, item in enumerate(old):
                if not isinstance(item, dict) or "task" not in item or "by" not in item:
                    raise error(["claims", i], "a claim needs 'task' and 'by'")
                since = item.get("date") or item.get("since") or "1970-01-01"
                claims[str(item["task"])] = {"by": str(item["by"]), "since": str(since)}
                if item.get("note"):
                    claims[str(item["task"])]["note"] = str(item["note"])
            data["claims"] = claims
        version = 1
    if version == 1:  # assignees were recorded as source "github"
        for value in (data.get("claims") or {}).values():
            if isinstance(value, dict) and value.get("source") == "github":
                value["source"] = "assignee"
        data["version"] = VERSION
    for key in SECTIONS:
        if data.get(key) is None:
            data[key] = _empty()[key]
    for key in SECTIONS:
        if not isinstance(data[key], dict):
            raise error([key], f"'{key}' must be a mapping")
    for task_id, value in data["claims"].items():
        if not isinstance(value, dict) or not isinstance(value.get("by"), str) or "since" not in value:
            raise error(["claims", task_id], f"claim of {task_id!r} needs 'by' (a name) and 'since' (a date)")
        if value.get("source", "local") not in CLAIM_SOURCES:
            raise error(["claims", task_id, "source"], "a claim's source is one of " + ", ".join(CLAIM_SOURCES))
    for task_id, value in data["issues"].items():
        if not isinstance(value, dict) or not isinstance(value.get("number"), int) or "url" not in value:
            raise error(["issues", task_id], f"issue of {task_id!r} needs 'number' and 'url'")
    return data


def _claim_from(task_id: str, value: dict[str, Any]) -> Claim:
    return Claim(task_id, str(value["by"]), str(value["since"]), value.get("note"),
                 value.get("source", "local"), value.get("issue"), value.get("url"))


def _claims_of(data: dict[str, Any]) -> dict[str, Claim]:
    return {task_id: _claim_from(task_id, v) for task_id, v in data["claims"].items()}


def _locate(text: str, keys: list[Any]) -> tuple[int, int]:
    """Line and column (1-based) of the node reached by ``keys`` in YAML ``text``."""
    yaml, _, _ = _yaml()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1, 1
    if node is None:
        return 1, 1
    mark = node.start_mark
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    mark, node = k.start_mark, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1
