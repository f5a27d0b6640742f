"""The Textual front end: pick a task, claim it, follow the campaign (`jit-tracker tui`)."""

from .app import TrackerApp, run

__all__ = ["TrackerApp", "run"]
