"""Reading a report: decode, find its structure (headings, sections, roles, boilerplate, metadata), cut it into chunks."""
