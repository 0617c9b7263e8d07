"""Language knowledge of Chinese and English that checks, memory and alignment share:
figures, dates and names across the two languages, pinyin names, spelling, and the
project glossary.

May import: core.
"""
