"""Curated YAML in data/: one reader, so every file's mistakes are reported the same way.

A maintainer edits these files by hand; an error must name the file, and the line and
column where YAML stopped, never show a traceback.
"""

from __future__ import annotations

from .errors import DataError

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_RAISE = object()


def yaml_error(file: Path | str, exc: Exception) -> DataError:
    """A PyYAML error as ``file:line:col: not valid YAML: problem``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return DataError(f"{file}{where}: not valid YAML: {problem}")


def read_mapping(file: Path, what: str, missing: Any = _RAISE, allow_empty: bool = False) -> dict[str, Any]:
    """The top-level mapping of a YAML file (an empty one only with ``allow_empty``).

    ``missing`` is returned for a file that does not exist; without it, that is an error
    saying which ``what`` was not found.
    """
    import yaml

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing is _RAISE:
            raise DataError(f"{file}: {what} not found") from None
        return missing
    except UnicodeDecodeError as exc:
        raise DataError(f"{file}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot read {what}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise yaml_error(file, exc) from None
    if data is None and allow_empty:
        return {}
    if not isinstance(data, dict):
        raise DataError(f"{file}: top level must be a mapping")
    return data
