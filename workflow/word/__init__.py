"""The Word layer: every module that reads or writes OOXML with python-docx, in parts of one concern each.

``ooxml`` (namespaces, the element helper, the text Word shows with tracked
changes accepted, safe opening of a file from outside), ``typography`` (the
looks: faces, styles, the page; the file a designer edits), ``styles``
(the looks as Word's style sheet), ``body`` (paragraphs, runs, photos and
tables, streamed), ``package`` (the shipped template and the zip written
once), ``edition`` (the edition writer), ``table`` (a kit's review table,
written and read back), ``maketemplate`` (makes the shipped template).

May import: core.
"""
