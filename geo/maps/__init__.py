"""Folium maps, display simplification and offline assets, permalinks."""
