"""Shipped reference data: boundaries, reference lines, settlements, the seed tables."""
