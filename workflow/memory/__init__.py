"""First drafts: the translation memory (what the desk already translated, offered for
every new segment) and the machine-translation engines.

May import: core, lang, sources, po, kits, align.
"""
