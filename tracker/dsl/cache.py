"""A lock-free ``cached_property``.

Python 3.11's ``functools.cached_property`` takes a lock on every first access, which
costs more than the values it caches here (a scan makes thousands). Values are computed
from immutable data, so computing one twice in a race would be harmless.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:  # checkers see the functools one: the same contract
    from functools import cached_property as cached
else:
    class cached:
        def __init__(self, func):
            self.func = func
            self.name = func.__name__
            self.__doc__ = func.__doc__

        def __set_name__(self, owner, name):
            self.name = name

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            value = self.func(instance)
            instance.__dict__[self.name] = value  # later reads never reach this descriptor
            return value
