"""Run: composes the stages into the pipeline and drives it (one pass, the daemon, inspect without storing)."""
