"""Sphinx configuration for the bilingual manual (built in CI with -W: warnings are errors)."""

project = "bilingual"
author = "The bilingual developers"
copyright = "2026, the bilingual developers"
extensions = ["myst_parser", "sphinx_click"]
source_suffix = {".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build", "**/node_modules"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
html_theme = "furo"
html_title = "bilingual manual"
suppress_warnings = []
