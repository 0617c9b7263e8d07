"""bilingual: a Chinese → English publishing and translation workflow."""

__version__ = "0.1.0"
