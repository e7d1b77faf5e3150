"""Pure navigation rules: which slide comes next, previous, or at a requested position."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Navigator:
    """Positions 0..count-1; with `loop`, next after the last is the first (and back).

    Positions in `skip` (slides whose view failed) are never landed on by next/previous.
    """

    count: int
    loop: bool = True
    skip: frozenset[int] = field(default_factory=frozenset)

    def _usable(self, index: int) -> bool:
        return 0 <= index < self.count and index not in self.skip

    def _step(self, index: int, step: int) -> int | None:
        position = index
        for _ in range(self.count):
            position += step
            if not 0 <= position < self.count:
                if not self.loop:
                    return None
                position %= self.count
            if position == index:
                return None
            if self._usable(position):
                return position
        return None

    def next(self, index: int) -> int | None:
        """The slide after `index`, or None at the end without loop."""
        return self._step(index, +1) if self.count else None

    def previous(self, index: int) -> int | None:
        """The slide before `index`, or None at the start without loop."""
        return self._step(index, -1) if self.count else None

    def clamp(self, index: int) -> int:
        """`index` limited to a valid position (0 when there are no slides)."""
        return max(0, min(index, self.count - 1)) if self.count else 0
