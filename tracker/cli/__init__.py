"""The ``jit-tracker`` command line: one module per command behind a thin dispatcher."""

from .main import main  # noqa: F401
