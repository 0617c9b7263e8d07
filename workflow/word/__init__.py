"""The Word layer: the only package that reads or writes OOXML with python-docx; the looks
editions are set in (typography), and the document writer.

May import: core.
"""
