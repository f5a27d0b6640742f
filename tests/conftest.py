"""Fixtures for every test: no test reads or writes the user's real cache or token."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty cache directory and no $GITHUB_TOKEN of the machine."""
    monkeypatch.setenv("JIT_TRACKER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
