"""The budget of every fuzz target: a fixed number of examples, no per-example deadline."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Examples per target: a few seconds each on a CI core, under a minute for all of them.
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
