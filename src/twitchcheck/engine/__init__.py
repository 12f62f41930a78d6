"""The engine: pure, deterministic inference, triage and interview logic (no I/O)."""
