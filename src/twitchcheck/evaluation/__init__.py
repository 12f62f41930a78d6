"""Evaluation harness: run vignettes through the engine and report the metrics of vignettes.md."""
