"""The names tasks are described with: kinds, statuses, difficulties.

Apart from :mod:`tracker.tasks` so that building the command line's parsers (whose
choices they are) does not load the task model and the dataclasses machinery.
"""

KINDS = ("refcount", "optimizer", "tier2", "helper", "split")
STATUSES = ("open", "done", "blocked")
DIFFICULTIES = ("easy", "medium", "hard")
