"""The offline extractor: structure-driven rules for achievements, problems, plans and metrics."""
