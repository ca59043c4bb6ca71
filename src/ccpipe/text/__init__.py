"""Second stage: extracted text into a document — clean blocks, structure, metadata, sentences, figures."""
