"""The recorded history walk and its contributors, beside the state file.

``<state>.history.json`` (``state.history.json`` beside ``state.yaml``): derived from
a walk of git history by ``jit-tracker history``, so it may run to thousands of
revisions and lives apart from the claims, in JSON (fast to read): claims stay quick to
load however long the history grows. Writes take the state's lock and land with an
atomic rename, the previous file kept as ``.bak``. Delete it to rebuild it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .atomic import copy, locked, write_text
from .errors import DataError

VERSION = 2  # 2: claim sources assignee/comment/pull, pulls and checklist sections


class HistoryFile:
    """The history file of the state file ``state_path``."""

    def __init__(self, state_path: str | os.PathLike[str]):
        state = Path(state_path)
        self.path = state.with_name(state.stem + ".history.json")
        self.lock_path = state.with_name(state.name + ".lock")  # the state's own lock

    def load(self) -> dict[str, Any]:
        """The recorded walk: repository, bounds, ``revisions`` and ``contributors``."""
        p = self.path
        if not p.exists():
            return {"revisions": [], "contributors": []}
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"{p}:{exc.lineno}:{exc.colno}: broken history file: {exc.msg}",
                            hint="it is rebuilt by 'jit-tracker history CPYTHON_DIR' once you delete it") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{p}: cannot read history: {exc}") from None
        if (not isinstance(data, dict) or not isinstance(data.get("revisions", []), list)
                or not isinstance(data.get("contributors", []), list)):
            raise DataError(f"{p}: not a jit-tracker history file",
                            hint="delete it and rerun 'jit-tracker history CPYTHON_DIR'")
        if data.get("version", 1) > VERSION:
            raise DataError(f"{p}: written by a newer jit-tracker; upgrade jit-tracker")
        data.setdefault("revisions", [])
        data.setdefault("contributors", [])
        return data

    def revisions(self) -> list[dict]:
        return self.load()["revisions"]

    def info(self) -> dict[str, Any]:
        """Where the recorded history came from (repository, bounds, when)."""
        return {k: v for k, v in self.load().items() if k not in ("revisions", "contributors")}

    def contributors(self) -> list[dict]:
        return self.load()["contributors"]

    def record(self, repository: str, revisions: list[dict], contributors: list[dict], **info: Any) -> bool:
        """Replace the recorded walk (the caller merges); False when nothing changed."""
        with locked(self.path, self.lock_path, "cannot write the history"):
            old = self.load()
            if (old.get("repository") == repository and old["revisions"] == revisions
                    and old["contributors"] == contributors):
                return False
            updated = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            data = {"version": VERSION, "repository": repository, **info, "updated": updated,
                    "revisions": revisions, "contributors": contributors}
            if self.path.exists():
                copy(self.path, self.path.with_name(self.path.name + ".bak"))
            write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            return True
