"""The claims registry: interface, SQLite and PostGIS backends, copying between stores."""
