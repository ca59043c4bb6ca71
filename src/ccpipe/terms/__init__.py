"""Third stage: terminology — the glossary, tagging, English alignment, new-term discovery and evaluation."""
