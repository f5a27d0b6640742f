"""The one reader of curated YAML: every mistake names the file (and line:col) and says what."""

from __future__ import annotations

import pytest

from tracker.datafile import read_mapping
from tracker.errors import DataError


def test_a_mapping_is_returned(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: 1\nb: [2, 3]\n")
    assert read_mapping(f, "things") == {"a": 1, "b": [2, 3]}


def test_broken_yaml_names_line_and_column(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: 1\nb: [2, 3\nc: 4\n")
    with pytest.raises(DataError, match=r"x\.yaml:\d+:\d+: not valid YAML"):
        read_mapping(f, "things")


def test_missing_file_is_an_error_or_the_given_default(tmp_path):
    with pytest.raises(DataError, match="things not found"):
        read_mapping(tmp_path / "nope.yaml", "things")
    assert read_mapping(tmp_path / "nope.yaml", "things", missing=None) is None


def test_top_level_must_be_a_mapping(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("- a\n- b\n")
    with pytest.raises(DataError, match="top level must be a mapping"):
        read_mapping(f, "things")


def test_empty_file_only_where_allowed(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("# nothing yet\n")
    assert read_mapping(f, "things", allow_empty=True) == {}
    with pytest.raises(DataError, match="top level must be a mapping"):
        read_mapping(f, "things")


def test_not_utf8(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_bytes(b"a: \xff\n")
    with pytest.raises(DataError, match=r"not UTF-8 text \(byte 3\)"):
        read_mapping(f, "things")
