"""Pure functions from a Register to Markdown, HTML fragments, JSON, CSV and chart text."""
