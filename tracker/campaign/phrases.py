"""One comment -> what it says about who works on what, by the patterns of ``data/claims.yaml``.

A comment is cut into sentences (quoted lines and code blocks left out: a quote is someone
else's words, kept aside to find what a reply accepts); each sentence is judged by the
first group of patterns that matches it, in the order the data file explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..datafile import read_mapping
from ..paths import DATA_DIR
from .names import NameIndex

DEFAULT_FILE = DATA_DIR / "claims.yaml"
GROUPS = ("claim", "offer", "accept", "release", "ignore")
SINGLE = ("negation", "vague_after", "vague_before", "family_after", "this", "these", "follow_up",
          "superseded_by", "supersedes", "polite")
ACTIONS = ("claim", "release", "offer", "accept")

# What jit-tracker posts itself (see tracker.campaign.thread.claim_comment).
MARKER_RE = re.compile(r"<!--\s*jit-tracker:\s*(?P<action>claim|release)\s+id=(?P<id>\S+)\s+by=(?P<by>[^\s>]+)\s*-->")
LOGIN_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\b")
FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+|\n+")

@dataclass
class Phrases:
    groups: dict[str, list[re.Pattern]]
    negation: re.Pattern
    vague_after: re.Pattern
    vague_before: re.Pattern
    family_after: re.Pattern
    this: re.Pattern
    these: re.Pattern
    follow_up: re.Pattern
    superseded_by: re.Pattern
    supersedes: re.Pattern
    polite: re.Pattern

    def first(self, group: str, sentence: str) -> re.Match | None:
        for p in self.groups[group]:
            m = p.search(sentence)
            if m:
                return m
        return None

@lru_cache(maxsize=4)
def load(path: str | None = None) -> Phrases:
    """The compiled patterns; any mistake is a DataError naming the file and key."""
    file = Path(path) if path else DEFAULT_FILE
    data = read_mapping(file, "claim phrases")

    def compile_(key: str, text: Any) -> re.Pattern:
        if not isinstance(text, str) or not text:
            raise DataError(f"{file}: {key} must be a regular expression (a string)")
        try:
            return re.compile(text, re.I)
        except re.error as exc:
            raise DataError(f"{file}: {key}: bad regular expression: {exc}") from None

    groups = {}
    for g in GROUPS:
        items = data.get(g)
        if not isinstance(items, list) or not items:
            raise DataError(f"{file}: {g} must be a non-empty list of regular expressions")
        groups[g] = [compile_(f"{g}[{i}]", p) for i, p in enumerate(items)]
    unknown = set(data) - set(GROUPS) - set(SINGLE)
    if unknown:
        raise DataError(f"{file}: unknown key(s) {', '.join(sorted(unknown))}")
    return Phrases(groups, **{k: compile_(k, data.get(k)) for k in SINGLE})

@dataclass
class Statement:
    """One sentence's meaning: ``who`` does ``action`` on ``tasks``.

    ``tasks`` is empty when the sentence says "this"/"it" about no known task or names
    nothing (a withdrawal then means every task the person holds in the thread; a claim,
    the tasks of the latest comment inviting the person).
    ``mentions`` are the @logins of the comment (whom a reply answers) and ``quoted``
    the lines it quotes.
    """

    action: str
    who: str
    tasks: list[str]
    sentence: str
    mentions: list[str] = field(default_factory=list)
    quoted: str = ""
    marker: bool = False

def sentences(body: str) -> tuple[list[str], str]:
    """The comment's own sentences, and the text it quotes."""
    text = FENCE_RE.sub("\n", body or "")
    text = re.sub(r"<!--.*?-->", "\n", text, flags=re.S)
    own: list[str] = []
    quoted: list[str] = []
    for line in text.splitlines():
        (quoted if line.lstrip().startswith(">") else own).append(line.lstrip(" >"))
    parts = [s.strip() for s in SENTENCE_RE.split("\n".join(own))]
    return [s for s in parts if s], "\n".join(quoted)

def read(body: str, author: str, index: NameIndex, kind: str | None = None,
         task_id: str | None = None, phrases: Phrases | None = None) -> list[Statement]:
    """What a comment by ``author`` says about claims, sentence by sentence.

    ``kind`` is the campaign's (names resolve to its tasks first); ``task_id`` is the
    task of the issue the comment is on, which "this" and "it" stand for.
    """
    phrases = phrases or load()
    out: list[Statement] = []
    mentions = [m for m in LOGIN_RE.findall(body or "")]
    for m in MARKER_RE.finditer(body or ""):
        out.append(Statement(m.group("action"), m.group("by"), [m.group("id")], m.group(0), marker=True))
    if out:
        return out  # our own comment says exactly what it means
    own, quoted = sentences(body)
    for sentence in own:
        st = judge(sentence, author, index, kind, task_id, phrases)
        if st is not None:
            st.mentions, st.quoted = mentions, quoted
            out.append(st)
    return out

def judge(sentence: str, author: str, index: NameIndex, kind: str | None, task_id: str | None,
          phrases: Phrases) -> Statement | None:
    names = index.find(sentence, kind, phrases.vague_after, phrases.vague_before, phrases.family_after)
    tasks = [t for f in names for t in f.tasks]
    tasks = list(dict.fromkeys(tasks))
    named_vaguely = not tasks and _names_something(sentence)
    if not tasks and task_id and not named_vaguely and phrases.this.search(sentence):
        tasks = [task_id]

    m = phrases.first("release", sentence)
    if m:
        who = m.groupdict().get("who") or author
        return Statement("release", who, tasks, sentence)
    if phrases.first("ignore", sentence):
        return None
    if named_vaguely:
        return None  # "the remaining BINARY_OP ones": nobody can tell which
    if phrases.first("offer", sentence):
        return Statement("offer", author, tasks, sentence) if tasks or task_id else None
    m = phrases.first("claim", sentence)
    if m and not phrases.negation.search(phrases.polite.sub("", sentence)):
        if not tasks and task_id:
            tasks = [task_id]  # "I'm on it", "I'll do it" on the task's own issue
        # naming nothing, "it" / "these" / "100% want to" stand for what someone asked or
        # listed just before (resolved by the thread)
        who = m.groupdict().get("who") or author
        return Statement("claim", who, tasks, sentence)
    if phrases.first("accept", sentence):
        return Statement("accept", author, tasks, sentence)
    return None

def _names_something(sentence: str) -> bool:
    """Does the sentence mention a uop-like name at all (resolved or not)?"""
    return bool(re.search(r"`_?[A-Z][A-Z0-9_{}|]+`|(?<!\w)_?[A-Z][A-Z0-9]*_[A-Z0-9_{}|]+", sentence))
