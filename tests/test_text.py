"""tracker.text: control characters shown escaped; what a claimant's name may be."""

from __future__ import annotations

import pytest

from tracker.cli.table import Column, fit
from tracker.errors import UsageError
from tracker.text import check_name, clean, clean_block, clip


def test_clean_escapes_every_control_character_on_one_line():
    assert clean("a\x1b[2Jb\n\r\t\x00\x7f\x9b\u202ez") == "a\\x1b[2Jb\\n\\r\\t\\x00\\x7f\\x9b\\u202ez"
    assert clean("plain ünïcode ★") == "plain ünïcode ★"
    assert clean(None) == "" and clean(42) == "42"


def test_clean_block_keeps_lines_and_tabs():
    assert clean_block("one\r\ntwo\tthree\rfour\x1b]0;t\x07") == "one\ntwo\tthree\\rfour\\x1b]0;t\\x07"


def test_clip():
    assert clip("abcdef", 4) == "abc…" and clip("abc", 4) == "abc" and clip("abc", 0) == ""


@pytest.mark.parametrize("name", ["ada", "Grace Hopper", "o'brien", "J. Doe Jr.", "a-b_c", "x" * 39, "Zoë"])
def test_good_names(name):
    assert check_name(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "   ", "-x", "x\ny", "bad\x1b[2J", "x" * 40, "<b>", "a;rm"])
def test_bad_names(name):
    with pytest.raises(UsageError) as err:
        check_name(name)
    assert "\x1b" not in str(err.value) and "\n" not in err.value.message and len(str(err.value)) < 200


def test_fit_gives_way_least_needed_first():
    cols = [Column("id", min=6), Column("a", keep=2), Column("b", keep=5, min=3), Column("c", keep=9)]
    rows = [("abcdefghij", "x", "bbbbbbbb", "cccc")]
    assert fit(cols, rows, 40) == ["id          a  b         c", "abcdefghij  x  bbbbbbbb  cccc"]
    assert fit(cols, rows, 24) == ["id          a  b", "abcdefghij  x  bbbbbbbb"]  # c dropped
    assert fit(cols, rows, 18) == ["id          a  b", "abcdefghij  x  bb…"]  # b cut
    assert fit(cols, rows, 13) == ["id          a", "abcdefghij  x"]  # b dropped
    assert fit(cols, rows, 7) == ["id", "abcdef…"[:7]]  # only what is never dropped, cut


def test_fit_escapes_cells_and_hides_empty_columns():
    cols = [Column("id"), Column("who", keep=1, hide_empty=True)]
    assert fit(cols, [("a\nb", "")], 80) == ["id", "a\\nb"]


def test_tickets_show_placeholders_and_escape_control_characters():
    from tracker import rules, sources
    from tracker.tickets import Renderer, markdown_text

    ts = rules.scan(sources.from_files("data/examples/bytecodes.c", "data/examples/optimizer_bytecodes.c"))
    task = ts.get("split:IS")
    task.title = "Split IS" + "\x1b[2J"
    task.explanation = "see <this> and `a<b>` \x1b]0;t\x07"
    ticket = Renderer().task(task, ts)
    assert "macro(IS) = _IS + &lt;pops&gt;;" in ticket.body and "<pops>" not in ticket.body
    assert "see &lt;this&gt; and `a<b>` \\x1b]0;t\\x07" in ticket.body
    assert "\x1b" not in ticket.body and "\x1b" not in ticket.title
    assert markdown_text("```c\nif (a < b) {}\n```") == "```c\nif (a < b) {}\n```"


def test_pyproject_declares_its_license_the_way_setuptools_wants():
    """A TOML table there printed three deprecation warnings on every `make demo`."""
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert isinstance(data["project"]["license"], str)
    assert any(r.startswith("setuptools>=") and int(r.split(">=")[1].split(".")[0]) >= 77
               for r in data["build-system"]["requires"])
