"""tracker.record.Frozen behaves as the frozen dataclasses it stands in for."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass

import pytest

from tracker.record import Frozen


class Point(Frozen):
    x: int
    y: int = 0
    tags: tuple = ()


@dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    tags: tuple = ()


class Labelled(Point):
    label: str = "p"


def test_construction_equality_hash_and_repr_match_a_frozen_dataclass():
    for args, kwargs in [((1,), {}), ((1, 2), {}), ((), {"x": 3, "tags": ("a",)}), ((1,), {"y": 5})]:
        ours, theirs = Point(*args, **kwargs), DataPoint(*args, **kwargs)
        assert repr(ours) == repr(theirs).replace("DataPoint", "Point")
        assert ours == Point(*args, **kwargs) and hash(ours) == hash(Point(*args, **kwargs))
        assert hash(ours) == hash(theirs)  # both hash the tuple of the fields
    assert Point(1) != Point(2) and Point(1) != DataPoint(1) and Point(1) != (1, 0, ())
    assert {Point(1), Point(1, 0)} == {Point(1)}


def test_bad_arguments_and_assignment_are_refused():
    with pytest.raises(TypeError, match="missing argument 'x'"):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, (), 4)
    with pytest.raises(TypeError, match="'z'"):
        Point(1, z=2)
    with pytest.raises(TypeError, match="'x'"):
        Point(1, x=2)
    p = Point(1)
    with pytest.raises(AttributeError):
        p.x = 2
    with pytest.raises(AttributeError):
        del p.y
    assert p.x == 1


def test_subclasses_add_fields_and_copies_round_trip():
    lab = Labelled(1, 2, (), "q")
    assert lab._fields == ("x", "y", "tags", "label") and lab.label == "q" and Labelled(1).label == "p"
    assert repr(lab) == "Labelled(x=1, y=2, tags=(), label='q')"
    for p in (Point(1, 2, ("t",)), lab):
        assert pickle.loads(pickle.dumps(p)) == p and copy.deepcopy(p) == p and copy.copy(p) == p
