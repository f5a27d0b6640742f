"""Bad inputs: one file per case, each with the first line of the diagnostic it must give.

``NAME.c`` is run through ``jit-tracker defs`` (syntax errors) or, for ``model_*.c``,
through ``jit-tracker scan --bytecodes`` (resolution errors); ``NAME.expected`` holds
the first line of stderr. A ``warning`` costs one definition: the command goes on and
exits 0. An ``error`` (the rest of the file cannot be read) shows the offending line
and a caret under the column and exits with status 2. No case prints a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli.main import main
from tracker import sources

HERE = Path(__file__).parent
CASES = sorted(p.stem for p in HERE.glob("*.c"))
DIAG = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<what>error|warning): \S")


def command(name: str) -> list[str]:
    return ["scan", "--no-cache", "--bytecodes"] if name.startswith("model_") else ["defs"]


def is_warning(name: str) -> bool:
    return ": warning: " in (HERE / f"{name}.expected").read_text(encoding="utf-8")


def check_diagnostic(name: str, stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[0] == (HERE / f"{name}.expected").read_text(encoding="utf-8").rstrip("\n")
    m = DIAG.match(lines[0])
    assert m, lines[0]
    line, col = int(m["line"]), int(m["col"])
    if m["what"] == "warning":
        assert "; skipped " in lines[0]  # says what was left out
        return
    # the offending line, then a caret under the column
    source = (HERE / f"{name}.c").read_bytes().decode("utf-8", "replace").split("\n")
    expected_text = source[line - 1] if source[line - 1] else "<empty file>"
    assert lines[1] == "    " + expected_text
    assert lines[2].rstrip() == "    " + " " * (col - 1) + "^"


def test_every_case_has_an_expected_message():
    expected = sorted(p.stem for p in HERE.glob("*.expected"))
    assert CASES == expected
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_a_located_error(name, capsys, monkeypatch):
    monkeypatch.chdir(HERE)
    status = main(command(name) + [f"{name}.c"])
    out, err = capsys.readouterr()
    if is_warning(name):
        assert status == 0  # one definition lost, not the file
        assert out
    else:
        assert status == 2
        assert out == ""
    check_diagnostic(name, err)


def test_both_kinds_of_case_are_there():
    warnings = [n for n in CASES if is_warning(n)]
    assert len(warnings) >= 5 and len(CASES) - len(warnings) >= 8


@pytest.mark.parametrize("name", ["unterminated_body", "not_utf8", "model_unknown_uop"])
def test_installed_command_reports_without_traceback(name, tmp_path):
    """The same through the real entry point, as a user runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", *command(name), f"{name}.c"],
        cwd=HERE, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(HERE.parent.parent),
             "JIT_TRACKER_CACHE_DIR": str(tmp_path)},
    )
    assert proc.returncode == (0 if is_warning(name) else 2)
    check_diagnostic(name, proc.stderr)


def write_huge(path: Path, size: int) -> int:
    """A well-formed definition file of about ``size`` bytes; returns its definition count."""
    chunk = "".join(
        f"        inst(BIG_{i}, (value -- value)) {{\n            value = touch(value, {i});\n        }}\n\n"
        for i in range(1000)
    )
    with path.open("w", encoding="utf-8") as f:
        f.write("// A generated, oversized definition file.\n// BEGIN BYTECODES //\n")
        written = 0
        while written < size:
            f.write(chunk)
            written += len(chunk)
        f.write("// END BYTECODES //\n")
    return written // len(chunk) * 1000


def test_50_mb_file_is_refused_with_a_clear_error(tmp_path, capsys):
    """Real definition files are ~230 KB; a 50 MB input is refused before it is read.

    (Parsing it would take about 30 s and 700 MB; see sources.MAX_INPUT_BYTES.)
    """
    huge = tmp_path / "huge.c"
    write_huge(huge, 50 * 1000 * 1000)
    assert huge.stat().st_size > sources.MAX_INPUT_BYTES
    status = main(["defs", str(huge)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{huge}:1:1: error: file is 50 MB, over the 4 MiB limit")
    assert lines[1] == "    // A generated, oversized definition file."
    assert lines[2] == "    ^"
    assert "Traceback" not in err


def test_file_just_under_the_limit_parses(tmp_path):
    """The limit only refuses; a large well-formed file below it is parsed completely."""
    from tracker.dsl import parse_text

    big = tmp_path / "big.c"
    count = write_huge(big, sources.MAX_INPUT_BYTES - 200_000)
    src = sources.read_file(big)
    parsed = parse_text(src.text, src.name)
    assert len(parsed.definitions) == count
    last = parsed.definitions[-1]
    assert last.name == "BIG_999"
    assert last.loc.end_line == last.loc.line + 2


def test_warnings_are_printed_escaped(tmp_path, capsys):
    """A file name (or any text read) with control characters never reaches the terminal raw."""
    path = tmp_path / "odd\x1b[31mname.c"
    path.write_text("// BEGIN BYTECODES //\nspeedy op(_A, (--)) { }\ninst(B, (--)) { }\n"
                    "// END BYTECODES //\n", encoding="utf-8")
    assert main(["defs", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in err and "odd\\x1b[31mname.c:2:1: warning: unknown annotation 'speedy'" in err
    assert "B" in out
