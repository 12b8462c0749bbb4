"""Contested and implied areas, verdicts, joins, comparisons, lines over time, zones, layers."""
