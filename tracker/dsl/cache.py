"""A lock-free ``cached_property``.

Python 3.11's ``functools.cached_property`` takes a lock on every first access, which
costs more than the values it caches here (a scan makes thousands). Values are computed
from immutable data, so computing one twice in a race would be harmless.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class cached(Generic[T]):
    def __init__(self, func: Callable[[Any], T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = self.func(instance)
        instance.__dict__[self.name] = value  # later reads never reach this descriptor
        return value
