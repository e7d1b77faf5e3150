"""Pure navigation rules: which slide comes next, previous, or at a requested position."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Navigator:
    """Positions 0..count-1; with `loop`, next after the last is the first (and back)."""

    count: int
    loop: bool = True

    def next(self, index: int) -> int | None:
        """The slide after `index`, or None at the end without loop."""
        if self.count == 0:
            return None
        if index + 1 < self.count:
            return index + 1
        return 0 if self.loop and self.count > 1 else None

    def previous(self, index: int) -> int | None:
        """The slide before `index`, or None at the start without loop."""
        if self.count == 0:
            return None
        if index > 0:
            return index - 1
        return self.count - 1 if self.loop and self.count > 1 else None

    def clamp(self, index: int) -> int:
        """`index` limited to a valid position (0 when there are no slides)."""
        return max(0, min(index, self.count - 1)) if self.count else 0
