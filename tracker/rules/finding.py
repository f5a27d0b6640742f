"""What the refcount rule saw in one uop: made by :mod:`.refcount`, read by :mod:`.recipe`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Uop
from ..tasks import ReleasedInput


@dataclass
class Finding:
    """What the refcount rule saw in one uop."""

    uop: Uop
    instructions: list[str] = field(default_factory=list)  # the traceable ones using it
    released: list[ReleasedInput] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)  # consuming helpers inputs go to
    escaping: list[str] = field(default_factory=list)
    converted_in: list[str] = field(default_factory=list)  # instructions already popping
    pops_seen: list[str] = field(default_factory=list)
    pops_in: dict[str, list[str]] = field(default_factory=dict)  # instruction -> its pops

    @property
    def status(self) -> str | None:
        if self.released:
            return "open"
        if self.converted_in:
            return "done"
        return None
