"""Slide views: one module per slide type, painted with QPainter on a logical canvas."""
