"""jit-tracker: organise community work on CPython's JIT from its instruction definitions."""

__version__ = "0.1.0"
