"""How hard the property-based tests search: 200 examples a property, or 2,000 with
HYPOTHESIS_PROFILE=deep. Shared by every hypothesis test, so both settings live in one place."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "uptake-fuzz", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "uptake-fuzz-deep",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile(
    "uptake-fuzz-deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "uptake-fuzz"
)
