"""The shared ground every layer stands on: errors, files on disk, time, configuration, the
project and its paths, the document model, caches, zip and XML safety.

May import: nothing from the package (its modules import one another).
"""
