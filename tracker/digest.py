"""sha1 and sha256 for what every command hashes: blob ids, cache names, fingerprints.

The interpreter's own implementations, where it has them: importing ``hashlib`` loads
OpenSSL (~4 ms), more than a warm listing spends hashing its two files. Large payloads
(the cache's entries) are checked with ``zlib.crc32`` instead, which is faster than
either; only ids that must match git's (blob ids) need sha1 at all.
"""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:  # an interpreter built without it
    from hashlib import sha1
try:
    from _sha256 import sha256  # Python 3.11
except ImportError:
    try:
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        from hashlib import sha256

__all__ = ["sha1", "sha256"]
