"""``@record``: the dataclasses of the scan path, for a fraction of their start-up cost.

A scan from a fresh process builds its parser, model, rules and tasks from ~40 classes.
As ``@dataclass`` they cost ~30 ms before the first line is read: ``dataclasses``
imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``), and Python 3.11
compiles each generated method with an ``exec`` of its own (~0.7 ms a class). ``@record``
takes the same declaration (annotated fields, defaults, :func:`field`, ``frozen``,
``eq``, ``slots``, inheritance) and compiles only ``__init__`` (whose speed matters: a
scan makes thousands of records); equality, hashing and ``repr`` are shared functions
over a C ``attrgetter``. The classes cost a tenth of that. Type checkers read it as a
dataclass (PEP 681).

What it does not do, it refuses (an unknown option is a TypeError), so nobody relies on
a dataclass feature that is silently missing. Classes used away from the scan path
stay ordinary dataclasses.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any, Callable, dataclass_transform
else:
    def dataclass_transform(**_kwargs):
        return lambda f: f


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


_MISSING = object()


class Field:
    """One field: its name, annotation (as written) and how it is made, shown and compared."""

    __slots__ = ("name", "type", "default", "default_factory", "repr", "compare")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 repr: bool = True, compare: bool = True):
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot give both default and default_factory")
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.repr, self.compare = repr, compare

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default: Any = _MISSING, default_factory: Any = _MISSING,
          repr: bool = True, compare: bool = True) -> Any:
    """As ``dataclasses.field``, for the options records use."""
    return Field(default, default_factory, repr, compare)


def fields(cls_or_record: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in order (as ``dataclasses.fields``)."""
    return tuple(cls_or_record.__record_fields__.values())


@dataclass_transform(field_specifiers=(field,))
def record(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True,
           slots: bool = False, repr: bool = True) -> Any:
    """As ``@dataclass`` with these options: ``__init__``, ``__repr__``, ``__eq__`` and
    ``__hash__`` by the same rules (frozen and eq: hashed by value; eq alone: unhashable;
    ``eq=False``: by identity), ``__match_args__``, and ``__slots__`` when asked."""

    def wrap(c: type) -> type:
        return _process(c, frozen, eq, slots, repr)

    return wrap if cls is None else wrap(cls)


def _getter(names: list[str]) -> Callable[[Any], tuple]:
    """A function giving the tuple of these attributes (attrgetter, in C, for two or more)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    def __repr__(self) -> str:
        shown = ", ".join([f"{n}={getattr(self, n)!r}" for n in names])
        return f"{type(self).__qualname__}({shown})"
    return __repr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _own_fields(cls: type) -> dict[str, Field]:
    out: dict[str, Field] = {}
    for name, kind in cls.__dict__.get("__annotations__", {}).items():
        text = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
        if text.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name, f.type = name, text
        out[name] = f
    return out


def _process(cls: type, frozen: bool, eq: bool, slots: bool, want_repr: bool) -> type:
    all_fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        all_fields.update(getattr(base, "__record_fields__", {}))
    own = _own_fields(cls)
    all_fields.update(own)
    names = list(all_fields)

    scope: dict[str, Any] = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
    params, body, seen_default = [], [], False
    for f in all_fields.values():
        if f.default is not _MISSING:
            scope[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
            seen_default = True
        elif f.default_factory is not _MISSING:
            scope[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            body.append(f"  if {f.name} is _MISSING: {f.name} = _f_{f.name}()")
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {f.name!r} without a default follows one with a default")
        else:
            params.append(f.name)
        body.append(f"  _setattr(self, {f.name!r}, {f.name})" if frozen else f"  self.{f.name} = {f.name}")
    lines = [f"def __init__(self, {', '.join(params)}):", *(body or ["  pass"])]

    exec("\n".join(lines), scope)  # only __init__ is compiled: compiling is most of the cost
    methods = {"__init__": scope["__init__"]}
    compared = [f.name for f in all_fields.values() if f.compare]
    values = _getter(compared)
    if want_repr and "__repr__" not in cls.__dict__:
        methods["__repr__"] = _repr([f.name for f in all_fields.values() if f.repr])
    if eq and "__eq__" not in cls.__dict__:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return values(self) == values(other)
            return NotImplemented
        methods["__eq__"] = __eq__
    if eq and frozen and "__hash__" not in cls.__dict__:
        methods["__hash__"] = lambda self: hash(values(self))
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _frozen_setattr, _frozen_delattr
    if slots:  # no __dict__ to copy or pickle: the fields' values, set past __setattr__
        every = _getter(names)
        methods["__getstate__"] = lambda self: every(self)

        def __setstate__(self, state):
            for name, value in zip(names, state):
                object.__setattr__(self, name, value)
        methods["__setstate__"] = __setstate__

    target = cls
    if slots:
        # a class's __slots__ are fixed when it is made: make it again, as dataclasses does
        namespace = dict(cls.__dict__)
        for name in names:
            namespace.pop(name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        inherited = {s for b in cls.__mro__[1:] for s in getattr(b, "__slots__", ())}
        namespace["__slots__"] = tuple(n for n in names if n not in inherited)
        target = type(cls)(cls.__name__, cls.__bases__, namespace)
        target.__qualname__ = cls.__qualname__
    else:
        for name, f in own.items():  # a field's class attribute is its default, or nothing
            if isinstance(cls.__dict__.get(name), Field):
                if f.default is _MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, f.default)
    for name, fn in methods.items():
        if fn not in (_frozen_setattr, _frozen_delattr):
            fn.__qualname__ = f"{target.__qualname__}.{name}"
        type.__setattr__(target, name, fn)
    if eq and not frozen and "__hash__" not in cls.__dict__:
        type.__setattr__(target, "__hash__", None)  # as dataclasses: mutable and equal by value
    type.__setattr__(target, "__record_fields__", all_fields)
    type.__setattr__(target, "__match_args__", tuple(names))
    return target
