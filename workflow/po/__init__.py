"""Gettext PO catalogs: the PO file format read and written byte for byte, a segment's life
cycle (its states and history), catalogs built and merged from sources, and progress
counts.

May import: core, sources.
"""
