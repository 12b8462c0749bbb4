"""From prose to proposed claims: figures with units, dates, the extractor and its scoring."""
