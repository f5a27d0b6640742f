"""Which issue tracks each kind of task: filed by jit-tracker, or an existing one adopted.

``data/tracking.yaml`` says it per repository; ``sync --tracking KIND=NUMBER`` adds to it
(remembered in the state). An adopted issue is only ever read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..errors import DataError, UsageError
from ..datafile import read_mapping
from ..paths import DATA_DIR
from ..tasks import KINDS

DEFAULT_FILE = DATA_DIR / "tracking.yaml"
FILE = "file"

def load(path: str | Path | None = None) -> dict[str, dict[str, int | str]]:
    """Repository (lower case) -> kind -> issue number or ``file``; ``*`` holds the default."""
    file = Path(path) if path else DEFAULT_FILE
    data = read_mapping(file, "tracking issues", missing=None, allow_empty=True)
    if data is None:
        return {"*": {k: FILE for k in KINDS}}
    default = data.get("default", FILE)
    if default != FILE:
        raise DataError(f"{file}: default must be '{FILE}' (adopt issues per repository)")
    out: dict[str, dict[str, int | str]] = {"*": {k: FILE for k in KINDS}}
    repos = data.get("repositories") or {}
    if not isinstance(repos, dict):
        raise DataError(f"{file}: repositories must map OWNER/NAME to kinds")
    for repo, kinds in repos.items():
        if not isinstance(kinds, dict):
            raise DataError(f"{file}: repositories.{repo} must map kinds to issue numbers")
        out[str(repo).lower()] = {k: _value(v, f"{file}: repositories.{repo}.{k}") for k, v in kinds.items()
                                  if _kind(k, f"{file}: repositories.{repo}")}
    return out

def _kind(kind: Any, where: str) -> bool:
    if kind not in KINDS:
        raise DataError(f"{where}: unknown kind {kind!r}; known: {', '.join(KINDS)}")
    return True

def _value(value: Any, where: str) -> int | str:
    if value == FILE:
        return FILE
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise DataError(f"{where}: an issue number or '{FILE}', not {value!r}")

def parse_option(text: str) -> tuple[str, int | str]:
    """``KIND=NUMBER`` or ``KIND=file`` from the command line."""
    kind, sep, value = text.partition("=")
    if not sep or kind not in KINDS:
        raise UsageError(f"--tracking takes KIND=NUMBER, got {text!r}", hint=f"KIND is one of {', '.join(KINDS)}")
    value = value.strip().lstrip("#")
    if value == FILE:
        return kind, FILE
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"--tracking {kind}=…: an issue number or '{FILE}', got {value!r}")
    return kind, int(value)

def adopted(repo: str, remembered: Mapping[str, Any] | None = None,
            options: Mapping[str, int | str] | None = None,
            table: Mapping[str, Mapping[str, int | str]] | None = None) -> dict[str, int]:
    """Kind -> adopted issue number in ``repo`` (kinds absent get a tracking issue jit-tracker files).

    Later sources win: the data file, what an earlier ``--tracking`` left in the state, this
    run's ``--tracking``.
    """
    table = table if table is not None else load()
    merged: dict[str, int | str] = dict(table["*"])
    for layer in (table.get(repo.lower()) or {}, remembered or {}, options or {}):
        merged.update(layer)
    return {k: int(v) for k, v in merged.items() if v != FILE}
