"""The English side: official editions aligned with their Chinese originals, translation units, TMX.

Sits after ``terms`` and before ``publish``: it reads the model, extraction, text and the glossary, never
publishing or runs. Modules: ``pairs`` (which sources are editions of one document, from names alone, so
that run planning imports nothing heavy), ``items``, ``anchors``, ``cost``, ``dp`` and ``align`` (the
aligner, :func:`ccpipe.translate.align.align_pair`), ``report`` (its issues), ``units`` and ``tmx``
(translation units and TMX 1.4b), ``evaluate`` (against a hand reference).
"""
