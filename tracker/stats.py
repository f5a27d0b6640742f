"""Execution counts (CPython's pystats): how much of the executed work each task touches.

CPython built with ``--enable-pystats`` counts every instruction and uop it executes, and
``Tools/scripts/summarize_stats.py`` turns the counts into a Markdown report (or dumps
them as JSON with ``--json-output``). Public benchmark runs publish such reports; the one
bundled as ``data/pystats.json`` (facts only: names, counts, shares, provenance) makes the
ranking work offline, and ``scripts/make-pystats`` regenerates it.

A task's *weight* is the fraction of executed work its subject accounts for: for a uop
task, its uop's share of all uops executed; for an instruction task (``tier2``,
``split``), its instructions' share of all instructions executed; for a helper, the sum
of the tasks waiting for it. Names are matched across CPython versions by name only, so
an older or newer report still applies; what it does not cover weighs 0 and says so.

Only json and the standard library are imported here: commands load this module on
every run that lists tasks, and start-up time matters.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import DataError, UsageError
from .paths import DATA_DIR

BUNDLED = DATA_DIR / "pystats.json"
FORMAT = "jit-tracker-pystats"
NO_COUNTS = "no execution counts"

# Copies of one uop that pystats counts apart: oparg-specialised replicas
# (``_LOAD_FAST_3``, ``_COPY_2``) and tier-2 variants (``_BINARY_OP_X__NO_DECREF_INPUTS``).
_REPLICA = re.compile(r"^(?P<base>.+?)_\d{1,2}$")
_VARIANT = re.compile(r"^(?P<base>_?[A-Z0-9].*?)__[A-Z0-9_]+$")

# Section titles of the two tables we read, as summarize_stats has named them over the years.
_UOP_SECTIONS = ("uop stats", "uop execution stats")
_INSTRUCTION_SECTIONS = ("execution counts",)


class StatsError(DataError):
    """A pystats report that cannot be read, with where it is broken."""


def _key(name: str) -> str:
    """Names compare without their leading underscore (older reports wrote ``LOAD_FAST``)."""
    return name.lstrip("_")


@dataclass
class Report:
    """Execution counts by name, with where they came from."""

    uops: dict[str, int]
    instructions: dict[str, int]
    provenance: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the file or URL read
    _index: dict[str, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def uop_total(self) -> int:
        return sum(self.uops.values())

    @property
    def instruction_total(self) -> int:
        return sum(self.instructions.values())

    @property
    def label(self) -> str:
        """``pystats of 2025-07-19`` (the date of the measured CPython, else the file's name)."""
        date = str(self.provenance.get("date") or "")[:10]
        return f"pystats of {date}" if date else f"pystats from {self.origin or 'an unnamed report'}"

    @property
    def suite(self) -> str:
        return str(self.provenance.get("suite") or "the pyperformance suite")

    def describe(self) -> str:
        """One line: what was measured, for notices and headers."""
        p = self.provenance
        bits = [b for b in (p.get("python_version") and f"CPython {p['python_version']}",
                            p.get("cpython_commit") and str(p["cpython_commit"])[:7]) if b]
        return self.label + (f" ({', '.join(bits)})" if bits else "")

    def _counts(self, table: str) -> dict[str, int]:
        """Counts by normalised name, with each uop's replicas and variants added to it."""
        if table not in self._index:
            raw = self.uops if table == "uops" else self.instructions
            out: dict[str, int] = {}
            for name, count in raw.items():
                out[_key(name)] = out.get(_key(name), 0) + count
            if table == "uops":
                for name, count in raw.items():
                    m = _REPLICA.match(name) or _VARIANT.match(name)
                    if m and _key(m["base"]) != _key(name):
                        base = _key(m["base"])
                        out[base] = out.get(base, 0) + count
            self._index[table] = out
        return self._index[table]

    def uop_count(self, name: str) -> int | None:
        return self._counts("uops").get(_key(name))

    def instruction_count(self, name: str) -> int | None:
        return self._counts("instructions").get(_key(name))

    def to_json(self) -> dict[str, Any]:
        """The facts file: counts and shares by name, totals and provenance."""
        def table(counts: dict[str, int]) -> dict[str, list]:
            total = sum(counts.values()) or 1
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            return {name: [count, float(f"{count / total:.6g}")] for name, count in ordered}

        return {
            "format": FORMAT,
            "version": 1,
            "provenance": dict(self.provenance),
            "totals": {"uops": self.uop_total, "instructions": self.instruction_total},
            "uops": table(self.uops),
            "instructions": table(self.instructions),
        }


# --------------------------------------------------------------------------- reading

def load(where: str | Path) -> Report:
    """A report from a file or an http(s) URL: Markdown, summarize_stats JSON or our facts."""
    text = str(where)
    if re.match(r"^https?://", text, re.I):
        return parse(fetch_url(text), text)
    path = Path(text)
    try:
        data = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: pystats report not found",
                         hint="give a pystats Markdown report or summarize_stats JSON, as a file or URL") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a pystats report",
                         hint="run Tools/scripts/summarize_stats.py on it and give the .md or --json-output file") from None
    except UnicodeDecodeError as exc:
        raise StatsError(f"{path}: not a text file ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    return parse(data, str(path))


def load_bundled() -> Report:
    return load(BUNDLED)


def fetch_url(url: str, timeout: float = 30.0) -> str:
    """The text at ``url``; GitHub page links are read from their raw file."""
    import urllib.error
    import urllib.request

    raw = _raw_github(url)
    request = urllib.request.Request(raw, headers={"User-Agent": "jit-tracker"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise UsageError(f"{url}: HTTP {exc.code} {exc.reason}",
                         hint="check the address; a GitHub file needs its raw or blob URL") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise UsageError(f"{url}: cannot download the pystats report ({reason})",
                         hint="are you offline? download it and give the file instead, "
                         "or leave out --stats to use the bundled report") from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StatsError(f"{url}: not a text file ({exc.reason} at byte {exc.start})") from None


def _raw_github(url: str) -> str:
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+)/blob/(.+)$", url)
    return f"https://raw.githubusercontent.com/{m[1]}/{m[2]}/{m[3]}" if m else url


def parse(text: str, origin: str) -> Report:
    """A report from its text; JSON is recognised by its first character."""
    if text.lstrip().startswith("{"):
        return _parse_json(text, origin)
    return _parse_markdown(text, origin)


def _parse_json(text: str, origin: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StatsError(f"{origin}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise StatsError(f"{origin}:1: a pystats JSON file holds one object")
    if data.get("format") == FORMAT:
        return _parse_facts(data, text, origin)
    uops: dict[str, int] = {}
    instructions: dict[str, int] = {}
    for key, value in data.items():
        m = re.fullmatch(r"(uops|opcode)\[(?P<name>[^\]]+)\]\.execution_count", key)
        if not m:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise StatsError(f"{origin}:{_line_of(text, key)}: {key} must be a count, found {value!r}")
        table = uops if m[1] == "uops" else instructions
        table[m["name"]] = table.get(m["name"], 0) + value
    if not uops and not instructions:
        raise StatsError(f"{origin}: no execution counts in this JSON (no uops[...] or opcode[...] "
                         "execution_count keys)",
                         hint="give the file summarize_stats.py writes with --json-output, or its Markdown report")
    return Report(uops, instructions, {"source": origin}, origin)


def _parse_facts(data: dict[str, Any], text: str, origin: str) -> Report:
    tables = []
    for name in ("uops", "instructions"):
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            raise StatsError(f"{origin}:{_line_of(text, name)}: {name} must map names to [count, share]")
        counts = {}
        for op, value in raw.items():
            count = value[0] if isinstance(value, list) and value else value
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise StatsError(f"{origin}:{_line_of(text, op)}: {name}.{op} must be [count, share], found {value!r}")
            counts[op] = count
        tables.append(counts)
    provenance = data.get("provenance") or {}
    if not isinstance(provenance, dict):
        raise StatsError(f"{origin}:{_line_of(text, 'provenance')}: provenance must be a mapping")
    return Report(tables[0], tables[1], dict(provenance), origin)


def _line_of(text: str, key: str) -> int:
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)</t[dh]>", re.S)
_META = re.compile(r"^-\s+(benchmark|fork|ref|commit hash|commit date):\s*(.+?)\s*$")


def _parse_markdown(text: str, origin: str) -> Report:
    """The uop and instruction execution tables of a summarize_stats Markdown report.

    Reports have used pipe tables (``|Uop | Count | Self | Cumulative |``) and, since
    2024, HTML tables; both are read, each row's count checked, any error named by line.
    """
    lines = text.splitlines()
    meta: dict[str, str] = {}
    found: dict[str, dict[str, int]] = {}
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if heading:
            section = heading[2].strip().lower()
            i += 1
            continue
        m = _META.match(line)
        if m and not found:
            meta[m[1]] = m[2]
        m = re.match(r"^Stats gathered on:\s*(\S+)", line)
        if m:
            meta["gathered"] = m[1]
        table = ("uops" if section in _UOP_SECTIONS else
                 "instructions" if section in _INSTRUCTION_SECTIONS else None)
        stripped = line.strip()
        if table and table not in found and (stripped.startswith("|") or stripped.startswith("<table")):
            reader = _read_pipe_table if stripped.startswith("|") else _read_html_table
            found[table], i = reader(lines, i, origin)
            continue
        i += 1
    if not found.get("uops") and not found.get("instructions"):
        raise StatsError(f"{origin}: no uop or instruction execution counts found",
                         hint="give the Markdown that Tools/scripts/summarize_stats.py writes for a build "
                         "configured with --enable-pystats (its 'Execution counts' and 'Uop stats' tables)")
    provenance: dict[str, Any] = {"source": origin}
    if meta.get("commit hash"):
        provenance["cpython_commit"] = meta["commit hash"]
    if meta.get("ref"):
        provenance["ref"] = meta["ref"]
    if meta.get("commit date") or meta.get("gathered"):
        provenance["date"] = meta.get("commit date") or meta["gathered"]
    if meta.get("benchmark"):
        provenance["benchmarks"] = meta["benchmark"]
    return Report(found.get("uops", {}), found.get("instructions", {}), provenance, origin)


def _count(text: str, origin: str, lineno: int, name: str) -> int:
    digits = text.replace(",", "").replace("_", "").strip()
    if not digits.isdigit():
        raise StatsError(f"{origin}:{lineno}: the count of {name or 'a row'} is not a number: {text.strip()!r}",
                         hint="is the report cut short or edited by hand? regenerate it with summarize_stats.py")
    return int(digits)


def _columns(header: list[str], origin: str, lineno: int) -> int:
    names = [h.strip().lower() for h in header]
    if "base count" in names or "head count" in names:
        raise StatsError(f"{origin}:{lineno}: this is a comparison of two runs (Base/Head counts)",
                         hint="give the report of a single run")
    if len(names) < 2 or "count" not in names:
        raise StatsError(f"{origin}:{lineno}: expected a table with Name and Count columns, found {header!r}")
    return names.index("count")


def _read_pipe_table(lines: list[str], i: int, origin: str) -> tuple[dict[str, int], int]:
    header = [c for c in lines[i].strip().strip("|").split("|")]
    where = _columns(header, origin, i + 1)
    i += 1
    if i < len(lines) and re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", lines[i]):
        i += 1  # the alignment row
    counts: dict[str, int] = {}
    while i < len(lines) and lines[i].strip().startswith("|"):
        cells = lines[i].strip().strip("|").split("|")
        if len(cells) < len(header):
            raise StatsError(f"{origin}:{i + 1}: row has {len(cells)} cells, the header {len(header)}")
        name = cells[0].strip()
        counts[name] = counts.get(name, 0) + _count(cells[where], origin, i + 1, name)
        i += 1
    return counts, i


def _read_html_table(lines: list[str], i: int, origin: str) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    where: int | None = None
    row: list[tuple[str, str]] = []
    start = i
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("</table"):
            return counts, i + 1
        if line.startswith("<tr"):
            row, start = [], i
        row.extend((kind, re.sub(r"<[^>]+>", "", cell).strip()) for kind, cell in _CELL.findall(line))
        if line.startswith("</tr"):
            if row and row[0][0] == "h":
                where = _columns([c for _, c in row], origin, start + 1)
            elif row:
                if where is None:
                    raise StatsError(f"{origin}:{start + 1}: table row before its header row")
                if len(row) <= where:
                    raise StatsError(f"{origin}:{start + 1}: row has {len(row)} cells, no Count column")
                name = row[0][1]
                counts[name] = counts.get(name, 0) + _count(row[where][1], origin, start + 1, name)
            row = []
        elif line.startswith("#"):
            break
        i += 1
    raise StatsError(f"{origin}:{i}: table is not closed (no </table>)",
                     hint="is the report cut short? regenerate it with summarize_stats.py")


# --------------------------------------------------------------------------- weighing

@dataclass
class Coverage:
    """How much of a task set a report covered."""

    covered: int
    total: int
    missing: list[str]

    def notice(self, report: Report, python_version: str | None = None) -> str | None:
        if not self.missing:
            return None
        other = report.provenance.get("python_version")
        versions = (f", a report of CPython {other} applied by name to sources of {python_version}"
                    if other and python_version and str(other) != str(python_version) else ", applied by name")
        return (f"jit-tracker: {report.describe()}{versions}: {len(self.missing)} of {self.total} tasks "
                f"have {NO_COUNTS} (they weigh 0)")


def instruction_based(task: Any) -> bool:
    """Tasks about an instruction rather than a uop: their share is of instructions executed."""
    return task.kind in ("tier2", "split") or (not task.uop and task.kind != "helper")


def weigh(tasks: Iterable[Any], report: Report) -> Coverage:
    """Set ``weight`` and ``weight_source`` on every task; returns what the report covered."""
    tasks = list(tasks)
    uop_total = report.uop_total or 1
    instruction_total = report.instruction_total or 1
    missing: list[str] = []
    label = report.label
    for t in tasks:
        if t.kind == "helper":
            continue
        if instruction_based(t):
            names = list(t.instructions) or [t.subject]
            counts = [report.instruction_count(n) for n in names]
            what, total = "instruction", instruction_total
        else:
            names = [t.uop]
            counts = [report.uop_count(t.uop)]
            what, total = "uop", uop_total
        known = [c for c in counts if c is not None]
        if not known:
            t.weight, t.weight_source = 0.0, f"{NO_COUNTS} for {what} {', '.join(names)} in {label}"
            missing.append(t.id)
            continue
        t.weight = sum(known) / total
        t.weight_source = f"{what}{'s' if len(names) > 1 else ''} {', '.join(names)} in {label}"
    waiting: dict[str, list[Any]] = {}
    for t in tasks:
        for p in t.prerequisites:
            waiting.setdefault(p, []).append(t)
    for t in tasks:
        if t.kind != "helper":
            continue
        deps = [d for d in waiting.get(t.id, []) if d.weight]
        t.weight = sum(d.weight for d in deps)
        if deps:
            t.weight_source = f"sum of the {len(deps)} task{'s' if len(deps) > 1 else ''} waiting for it, {label}"
        else:
            t.weight_source = f"{NO_COUNTS} for the tasks waiting for it in {label}"
            missing.append(t.id)
    return Coverage(len(tasks) - len(missing), len(tasks), missing)


def unit(task: Any) -> str:
    return "instructions" if instruction_based(task) else "uops"


def format_share(weight: float | None) -> str:
    """``1.5%``; small shares keep two significant digits (``0.034%``); None is empty."""
    if weight is None:
        return ""
    percent = weight * 100
    if percent >= 0.1 or percent == 0:
        return f"{percent:.1f}%" if percent else "0%"
    digits = min(6, 1 - math.floor(math.log10(percent)))
    return f"{percent:.{digits}f}%"
