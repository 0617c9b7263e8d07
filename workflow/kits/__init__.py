"""Translator kits and CAT-tool exchange: what export writes and submit reads back (PO,
XLIFF, CSV, a Word table, an OmegaT project), and TMX.

May import: core, word, po.
"""
