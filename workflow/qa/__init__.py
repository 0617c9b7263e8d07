"""The zh→en quality checks: one small function per check over a source and its
translation, markup parity, style checks, project-wide consistency, and the HTML report.

May import: core, lang, sources.
"""
