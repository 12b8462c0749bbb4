"""The claim model, proposals, conflicts, history and provenance; the store lives in ``store``."""
