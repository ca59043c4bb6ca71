"""Run machinery beside the stages: configuration, sources, planning, incremental builds, the lock, notification."""
