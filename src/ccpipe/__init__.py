"""ccpipe: Chinese climate-policy reports to structured JSON and bilingual briefs.

A pure library: stages are plain functions over the typed models in :mod:`ccpipe.models`.
"""

__version__ = "0.1.0"
