"""Presentation state and logic: the Navigator, the Player, easing curves (QtCore at most)."""
