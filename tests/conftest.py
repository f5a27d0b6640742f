"""Fixtures for every test: no test reads or writes the user's real cache, state or token."""

from __future__ import annotations

import os
import tempfile

import pytest

# For the whole session, before any test: even a test that undoes its patches (or code
# run outside a test's fixtures) finds a private cache and state, never the user's.
_SESSION = tempfile.mkdtemp(prefix="jit-tracker-tests-")
os.environ["JIT_TRACKER_CACHE_DIR"] = os.path.join(_SESSION, "cache")
os.environ["JIT_TRACKER_STATE"] = os.path.join(_SESSION, "state", "state.yaml")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty cache directory and no $GITHUB_TOKEN of the machine."""
    monkeypatch.setenv("JIT_TRACKER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
