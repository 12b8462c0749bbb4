"""The Map page's tables sit in tabs that run only when open: open one in an AppTest, read its table.

A rerun of an AppTest of ``dashboard.py`` runs the page alone, not the router (no shared sidebar, no
link state): to read a tab as a new session opened from a link sees it, set ``TAB_KEY`` in the
session before the first run instead.
"""

from __future__ import annotations

#: The session key of the Map page's tabs (``pages/map.py`` ``TABLE_TAB_KEY``); its value is the open tab's label.
TAB_KEY = "map_table"


def open_map_tab(at, label: str):
    """Open the Map page's tab ``label`` in the AppTest ``at`` and rerun it (as a click on the tab does)."""
    at.session_state[TAB_KEY] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_table(at, label: str, column: str):
    """The table with ``column`` in the Map page's tab ``label`` (opened first)."""
    open_map_tab(at, label)
    tables = [t.value for t in at.dataframe]
    found = next((f for f in tables if column in f.columns), None)
    assert found is not None, f"no table with {column!r} in the tab {label!r}: {[list(f.columns) for f in tables]}"
    return found
