"""The command layer: one module per command family (extract, status, check and lint,
build, translate and submit, memory, align, rename), the publish gate, the inputs they
read (each once per command: the input snapshot), and the rendering of their results.
Pure: no printing; the CLI and the desk call these.

May import: every package below it (core, lang, word, sources, po, kits, qa, align, memory, editions).
"""
