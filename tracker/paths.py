"""Where the shipped data and templates are, in a checkout and when installed.

In a checkout they are the top-level ``data/`` and ``templates/`` folders; a wheel
carries the same folders inside the package as ``tracker/_data`` and
``tracker/_templates`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / f"_{name}"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name  # reported as missing by whoever reads it


DATA_DIR = _find("data")
TEMPLATES_DIR = _find("templates")

# The environment variables that move jit-tracker's files (read here only).
CACHE_ENV = "JIT_TRACKER_CACHE_DIR"
STATE_ENV = "JIT_TRACKER_STATE"


def user_dir(kind: str) -> str:
    """The user's ``cache`` or ``data`` directory for jit-tracker, as platformdirs says."""
    import platformdirs

    find = platformdirs.user_cache_dir if kind == "cache" else platformdirs.user_data_dir
    return find("jit-tracker", appauthor=False)


def state_path() -> str:
    """The state file used when none is named: ``$JIT_TRACKER_STATE``, else ``state.yaml``
    in the user data directory."""
    env = os.environ.get(STATE_ENV)
    if env:
        return os.path.expanduser(env)
    return os.path.join(user_dir("data"), "state.yaml")


def cache_dir() -> Path:
    """Where derived data is cached: ``$JIT_TRACKER_CACHE_DIR``, else the user cache directory."""
    env = os.environ.get(CACHE_ENV)
    return Path(os.path.expanduser(env) if env else user_dir("cache"))
