"""Citations of talks in the formats reference managers read.

:mod:`.record` turns a talk into one neutral :class:`~.record.Citation`; each format module
(:mod:`.bibtex`, :mod:`.ris`, :mod:`.csl`, :mod:`.calendar`, :mod:`.metadata`) renders that
record and nothing else, so every format says the same thing about a talk.
"""
