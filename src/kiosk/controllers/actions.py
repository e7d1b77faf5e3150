"""What a key, a swipe or a tap can do: plain functions of the Player (napari's key actions)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.core.player import Overlay, Player

Action = Callable[[Player], object]


PANELS = (Overlay.OVERVIEW, Overlay.HELP, Overlay.ACCESS)  # closed by navigation and Esc


def next_slide(player: Player) -> None:
    """Go forward one slide (an open overview, help or accessibility panel closes first)."""
    if player.overlay in PANELS:
        player.set_overlay(Overlay.NONE)
    player.next()


def previous_slide(player: Player) -> None:
    """Go back one slide."""
    if player.overlay in PANELS:
        player.set_overlay(Overlay.NONE)
    player.previous()


def first_slide(player: Player) -> None:
    """Go to the first slide."""
    player.first()


def last_slide(player: Player) -> None:
    """Go to the last slide."""
    player.last()


def toggle_blackout(player: Player) -> None:
    """Black the screen out, or bring it back."""
    player.toggle_blackout()


def toggle_language(player: Player) -> None:
    """Switch between Chinese and English."""
    player.toggle_language()


def toggle_overview(player: Player) -> None:
    """Open or close the grid of all slides."""
    player.toggle_overlay(Overlay.OVERVIEW)


def toggle_help(player: Player) -> None:
    """Open or close the list of keys."""
    player.toggle_overlay(Overlay.HELP)


def resume_autoplay(player: Player) -> None:
    """Let the show loop by itself again from here."""
    player.set_overlay(Overlay.NONE)
    player.resume_autoplay()


def close_overlay(player: Player) -> None:
    """Close an open overview, help or accessibility panel (Esc never leaves the kiosk)."""
    if player.overlay in PANELS:
        player.set_overlay(Overlay.NONE)
