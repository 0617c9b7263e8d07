"""Editions: what each Word edition of an article holds and whether it may be published,
and PDF through LibreOffice with feathering.

May import: core, word, sources, po.
"""
