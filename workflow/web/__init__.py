"""The desk in a browser: ``bilingual serve``, a side-by-side translation
and review page over the same services the command line uses.

Modules: ``users`` (accounts and roles, kept outside git), ``auth``
(sessions, CSRF tokens, login rate limits), ``reviewed`` (the target as last
reviewed, and its diff), ``desk`` (what the pages show and every write, through
``commands.submit`` and ``commands.translate``), ``render`` (HTML helpers: highlighting, diffs, the edition
preview) and ``app`` (the Starlette application and ``serve``).

May import: core, po, editions, commands (the services the command line uses).
"""
