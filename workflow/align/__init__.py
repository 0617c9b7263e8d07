"""Sentence alignment of published articles and their English editions: the bilingual
lexicon, the scorer, the dynamic programme over beads, and the aligner that runs them.

May import: core, lang.
"""
