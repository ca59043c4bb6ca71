"""The English side: official editions aligned with their Chinese originals, translation units, TMX.

Sits after ``terms`` and before ``publish``: it reads the model, extraction, text and the glossary, never
publishing or runs.
"""

from ccpipe.translate.align import ALIGN_METHOD, align_pair, with_alignment

__all__ = ["ALIGN_METHOD", "align_pair", "with_alignment"]
