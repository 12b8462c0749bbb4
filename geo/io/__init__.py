"""Reading user GIS files and writing exports (GeoJSON, GeoPackage, CSV, KML), drawn and imported lines."""
