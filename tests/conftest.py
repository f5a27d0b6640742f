"""Fixtures for the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_scan_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty scan cache: none ever reads or writes the user's."""
    monkeypatch.setenv("JIT_TRACKER_CACHE_DIR", str(tmp_path_factory.mktemp("scan-cache")))
