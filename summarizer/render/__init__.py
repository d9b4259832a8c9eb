"""Rendering: the briefing's selection and wording, Markdown/HTML pages, the source view, and the files written."""
