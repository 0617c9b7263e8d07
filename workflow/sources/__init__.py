"""Source articles: Markdown, text and Word files read into blocks with roles, split into
segments with stable IDs, and linted for the layout defects a newsroom file arrives
with.

May import: core, word.
"""
