"""The eval harness: run the pipeline on labelled reports, score against hand labels, print tables."""
