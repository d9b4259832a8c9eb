"""Extraction: chunks in, typed items with grounded evidence out (rules offline, llm over the OpenAI protocol), merged per report."""
