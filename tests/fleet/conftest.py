"""Fixtures of the fleet tests (defined in fleet_bench.py, which the tests import helpers from)."""

from fleet_bench import fleet, keys, nginx

__all__ = ["fleet", "keys", "nginx"]
