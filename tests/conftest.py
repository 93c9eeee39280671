"""Settings for the whole suite."""

from hypothesis import HealthCheck, settings

# Tests run on slow, shared machines: no per-example time limit (speed is measured by the
# scripts under bench/, not by tests), and no health check on slow data generation.
settings.register_profile(
    "shared_machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared_machine")
