"""Colours and styles of the map layers (Okabe-Ito palette, safe for colour-blind readers)."""

from __future__ import annotations

import pandas as pd

from geo import config
from geo import schema as S
from geo.theatres.model import party_table
from geo.vocab import LineKind

#: The shipped theatres' parties by id (names, colours, how a sentence names them).
PARTIES = party_table(config.THEATRES_DIR)
#: Map colour of each party id, from its theatre's manifest (Donbas: Okabe-Ito, safe for colour-blind readers).
PARTY_COLOURS = {pid: p.colour.upper() for pid, p in PARTIES.items()}
#: Agreed lines: a wide translucent black band drawn under every other line, so a later line
#: that follows it for most of its course stays visible on top of it.
AGREED_LINE_STYLE = {"color": "#000000", "weight": 7, "opacity": 0.35}
#: Later lines, in date order: Okabe-Ito colours not used for the parties, each with its own
#: dash pattern, so two lines differ in colour *and* dash (readable without colour vision).
LINE_PALETTE = ("#E69F00", "#CC79A7", "#56B4E9", "#009E73", "#F0E442", "#999999")
LINE_DASHES = ("", "10 7", "2 6", "14 5 3 5", "6 3")
OBLAST_STYLE = {"color": "#555555", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.15}
QUALIFIER_SIGNS = {
    "more_than": ">",
    "at_least": "≥",
    "about": "≈",
    "up_to": "≤",
    "less_than": "<",
    "exactly": "=",
}


def line_styles(lines: pd.DataFrame) -> dict[str, dict]:
    """Leaflet style of every reference line, chosen from its kind and date order.

    Agreed lines get :data:`AGREED_LINE_STYLE`; every other line, in date
    order, the next colour of :data:`LINE_PALETTE` and the next dash of
    :data:`LINE_DASHES` (colour and dash both differ between neighbours).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"line_id": ["b", "a", "m"], "kind": ["contact", "contact", "agreed"],
    ...                    "date": ["2015-02-20", "2015-01-20", "2014-09-19"]})
    >>> st = line_styles(df)
    >>> st["m"]["weight"], st["a"]["color"], st["b"]["color"], st["b"]["dashArray"]
    (7, '#E69F00', '#CC79A7', '10 7')
    """
    out: dict[str, dict] = {}
    others = lines[lines[S.LINE_KIND].astype(str) != LineKind.AGREED]
    others = others.assign(_d=others[S.LINE_DATE].astype(str)).sort_values(["_d", S.LINE_ID], kind="stable")
    for lid in lines.loc[lines[S.LINE_KIND].astype(str) == LineKind.AGREED, S.LINE_ID]:
        out[lid] = dict(AGREED_LINE_STYLE)
    for i, lid in enumerate(others[S.LINE_ID]):
        style = {"color": LINE_PALETTE[i % len(LINE_PALETTE)], "weight": 3, "opacity": 1.0}
        dash = LINE_DASHES[i % len(LINE_DASHES)]
        if dash:
            style["dashArray"] = dash
        out[lid] = style
    return out


USER_LINE_STYLE = {"color": "#009E73", "weight": 2.5, "dashArray": "2 6"}
#: Outline of the selected claim's area (page: claims list beside the map); not clickable.
HIGHLIGHT_STYLE = {"color": "#000000", "weight": 4, "opacity": 1.0, "dashArray": ""}


def contested_style(held_by: str, to_line_style: dict | None) -> dict:
    """Style of a contested area: fill in the holder's colour, outline dashed like its later line."""
    colour = PARTY_COLOURS.get(held_by, "#999999")
    style = {"color": colour, "weight": 1.5, "opacity": 1.0, "fillColor": colour, "fillOpacity": 0.45}
    dash = (to_line_style or {}).get("dashArray", "")
    if dash:
        style["dashArray"] = dash
    return style


# --- implied bands, security zones, settlements (issue 5) -------------------
IMPLIED_TITLE = "Implied by the figure, not a reported line"
# Security zones: a sequential (magma) ramp, dark to light with width, no hue shared with the
# lines or the party colours; drawn as outlined areas with a faint fill.
ZONE_COLOURS = {30.0: "#3B0F70", 50.0: "#8C2981", 70.0: "#DE4968", 140.0: "#FE9F6D"}
SETTLEMENT_COLOUR = "#333333"
