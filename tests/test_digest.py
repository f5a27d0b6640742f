"""tracker.digest gives the same digests as hashlib."""

from __future__ import annotations

import hashlib

from tracker import digest


def test_digests_equal_hashlib():
    for data in (b"", b"blob 3\0abc", bytes(range(256)) * 4000):
        assert digest.sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
        assert digest.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    h = digest.sha256()
    h.update(b"ab")
    h.update(b"c")
    assert h.hexdigest() == hashlib.sha256(b"abc").hexdigest()
