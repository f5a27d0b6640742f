"""tracker.record.record behaves as the dataclasses it stands in for, option by option."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import ClassVar

import pytest

from tracker import record as rec


def both(**options):
    """The same class declared with @dataclass and with @record."""

    def make(decorator, field):
        @decorator(**options)
        class Point:
            x: int
            y: int = 0
            tags: list = field(default_factory=list)
            note: str = field(default="", repr=False, compare=False)
            shared: ClassVar[int] = 7
            kind = "point"  # not annotated: a class attribute, not a field

        return Point

    return make(dataclasses.dataclass, dataclasses.field), make(rec.record, rec.field)


CALLS = [((1,), {}), ((1, 2), {}), ((), {"x": 3, "tags": ["a"]}), ((1,), {"y": 5, "note": "n"})]


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"eq": False}, {"frozen": True, "slots": True},
                                     {"slots": True}, {"frozen": True, "eq": False}])
def test_construction_repr_equality_and_hash_follow_dataclasses(options):
    theirs, ours = both(**options)
    for args, kwargs in CALLS:
        a, b = theirs(*args, **kwargs), ours(*args, **kwargs)
        assert repr(b) == repr(a)
        assert (b == ours(*args, **kwargs)) == (a == theirs(*args, **kwargs))
        assert (b == ours(*args, **dict(kwargs, note="other"))) == (a == theirs(*args, **dict(kwargs, note="other")))
        assert (type(b).__hash__ is None) == (type(a).__hash__ is None)
        if options.get("frozen") and options.get("eq", True):
            with pytest.raises(TypeError):  # a list field: unhashable, as the dataclass
                hash(b)
    assert ours(1).tags == [] and ours(1).tags is not ours(1).tags  # a new list each time
    assert ours.shared == 7 and ours.kind == "point"
    assert [f.name for f in rec.fields(ours)] == [f.name for f in dataclasses.fields(theirs)]
    assert ours.__match_args__ == theirs.__match_args__
    assert hasattr(ours(1), "__dict__") == hasattr(theirs(1), "__dict__")


def test_frozen_records_refuse_assignment_and_hash_by_value():
    @rec.record(frozen=True)
    class Pair:
        a: int
        b: tuple = ()

    p = Pair(1, ("t",))
    with pytest.raises(rec.FrozenInstanceError):
        p.a = 2
    with pytest.raises(AttributeError):
        del p.b
    assert p.a == 1 and {Pair(1), Pair(1, ())} == {Pair(1)} and hash(p) == hash(Pair(1, ("t",)))
    assert Pair(1) != (1, ()) and Pair(1) != Pair(2)


def test_bad_calls_and_declarations_are_refused_as_dataclasses_refuse_them():
    _, Point = both(frozen=True)
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, [], "", 5)
    with pytest.raises(TypeError):
        Point(1, z=2)
    with pytest.raises(TypeError):
        Point(1, x=2)
    with pytest.raises(TypeError, match="without a default"):
        @rec.record
        class Bad:
            a: int = 0
            b: int
    with pytest.raises(TypeError):
        rec.record(order=True)  # an option records do not have is refused, never ignored
    with pytest.raises(ValueError):
        rec.field(default=1, default_factory=list)


def test_subclasses_add_fields_and_copies_round_trip():
    @rec.record(frozen=True)
    class Base:
        x: int
        y: int = 0

    @rec.record(frozen=True)
    class Labelled(Base):
        label: str = "p"

    @rec.record(frozen=True, slots=True)
    class Slim:
        x: int
        y: tuple = ()

    lab = Labelled(1, 2, "q")
    assert [f.name for f in rec.fields(lab)] == ["x", "y", "label"] and Labelled(1).label == "p"
    assert repr(lab) == f"{Labelled.__qualname__}(x=1, y=2, label='q')"
    for value in (lab, Slim(1, ("t",))):
        assert copy.deepcopy(value) == value and copy.copy(value) == value
    assert pickle.loads(pickle.dumps(Point3(1, 2))) == Point3(1, 2)
    assert pickle.loads(pickle.dumps(Slim3(1))) == Slim3(1)


@rec.record(frozen=True)
class Point3:  # pickle finds classes by module-level name
    x: int
    y: int = 0


@rec.record(frozen=True, slots=True)
class Slim3:
    x: int
