"""The hidden marker that ends every issue body jit-tracker files.

``<!-- jit-tracker: id=TASK_ID hash=SHA256 -->``: the id finds the issue again whatever
people do to its title, and the hash (of title, labels and body without the marker)
tells sync whether what it would write has changed. Pure text functions, so the GitHub
client can read markers without the ticket renderer.
"""

from __future__ import annotations

import hashlib
import re

MARKER_RE = re.compile(r"<!--\s*jit-tracker:\s*id=(?P<id>\S+)\s+hash=(?P<hash>[0-9a-f]{64})\s*-->")


def content_hash(title: str, labels: list[str], body: str) -> str:
    text = f"{title}\n{','.join(labels)}\n\n{body.rstrip()}\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_marker(ticket_id: str, digest: str) -> str:
    return f"<!-- jit-tracker: id={ticket_id} hash={digest} -->"


def parse_marker(body: str | None) -> tuple[str, str] | None:
    """The (id, hash) of our marker in an issue body, or None if it is not ours."""
    m = MARKER_RE.search(body or "")
    return (m.group("id"), m.group("hash")) if m else None
