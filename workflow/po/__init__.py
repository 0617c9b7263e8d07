"""Gettext PO catalogs: the package's own entry type (``entry``: ``Entry``
and ``Catalog``), the PO file format read and written byte for byte
(``pofile``, the one module the rest of the package uses, over its parts
``reader``, ``fallback``, ``layout`` and ``writer``), a segment's history
(``history``) and life cycle (``lifecycle``, the only changer of an
entry), catalogs built and merged from sources (``catalog``), and progress
counts (``status``).

May import: core, sources.
"""
