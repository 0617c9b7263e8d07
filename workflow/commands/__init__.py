"""The command layer: one service per command family (extract, status, check, build,
translate, memory, align, rename), the inputs they read, and the rendering of their
results. Pure: no printing; the CLI and the desk call these.

May import: every package below it (core, lang, word, sources, po, kits, qa, align, memory, editions).
"""
