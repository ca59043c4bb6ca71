"""Publishing: the only stage besides extraction that writes to disk."""
