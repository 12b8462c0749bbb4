"""Lines and areas drawn by users: validated, saved to a user file, read back as extra lines.

A drawing comes from the map (the GeoJSON Feature that ``st_folium`` returns as
``last_active_drawing`` when a Draw control is on the map) or from pasted text
(WKT, or ``lon, lat`` pairs one per line or separated by ``;``). It becomes a
record with a name, an optional http(s) source URL and a quote, and is stored
in ``$CONTESTED_DATA_DIR/drawn_lines.geojson`` (the same directory as the
claims store, see :func:`geo.config.data_dir`), written atomically.

Drawn lines need not follow the convention of the shipped lines (vertex 0 at
the Russian border, last vertex in the Sea of Azov): a user sketches the part
a statement talks about. :func:`comparable_line` orients such a sketch along a
base line and splices it into it, so that it can be compared as a whole line.

Examples
--------
>>> g = geometry_from_text("38.0 48.5; 38.1 48.4; 38.2 48.3")
>>> g.geom_type, len(g.coords)
('LineString', 3)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon, shape

from geo import schema as S
from geo.atomic import locked
from geo.auth import Action, Principal, authorize
from geo.errors import InvalidGeometryError, ValidationError
from geo.html import safe_url
from geo.reference.user_lines import (
    DRAWN_COLUMNS,
    DRAWN_CREATED,
    DRAWN_FILENAME,
    DRAWN_PREFIX,
    DRAWN_QUOTE,
    MAX_VERTICES,
    comparable_line,
    drawn_file,
    load_drawn,
    validate_geometry,
)
from geo.reference.user_lines import read_drawn_features as read_features
from geo.reference.user_lines import write_drawn_features as write_features
from geo.vocab import ClaimKind, LineKind, SourceKind, Stance

__all__ = [
    "DRAWN_COLUMNS",
    "DRAWN_CREATED",
    "DRAWN_FILENAME",
    "DRAWN_PREFIX",
    "DRAWN_QUOTE",
    "KIND_DRAWN",
    "MAX_NAME",
    "MAX_QUOTE",
    "MAX_VERTICES",
    "DrawnLine",
    "all_lines",
    "claim_record",
    "comparable_line",
    "drawing_from_result",
    "drawn_file",
    "geometry_from_drawing",
    "geometry_from_text",
    "load_drawn",
    "read_features",
    "save_drawn",
    "validate_geometry",
    "write_features",
]

KIND_DRAWN = LineKind.DRAWN.value
MAX_NAME = 120
MAX_QUOTE = 2000
# Ukraine's frame, to tell lat/lon pairs pasted the wrong way round.
_LON_RANGE = (22.0, 41.0)
_LAT_RANGE = (44.0, 53.0)
_NUM = r"[-+]?\d+(?:\.\d+)?"


def geometry_from_drawing(drawing) -> shapely.Geometry:
    """The geometry of a drawing returned by ``st_folium`` (GeoJSON Feature or geometry)."""
    if not isinstance(drawing, dict):
        raise InvalidGeometryError("the drawing is not a GeoJSON object")
    geo = drawing.get("geometry") if drawing.get("type") == "Feature" else drawing
    if not isinstance(geo, dict) or "type" not in geo or "coordinates" not in geo:
        raise InvalidGeometryError("the drawing has no GeoJSON geometry")
    try:
        geom = shape(geo)
    except Exception as exc:  # shapely raises several types for bad GeoJSON
        raise InvalidGeometryError(f"the drawing is not valid GeoJSON: {exc}") from exc
    return validate_geometry(geom)


def drawing_from_result(result) -> dict | None:
    """The newest drawing in an ``st_folium`` result (``last_active_drawing`` or last of ``all_drawings``)."""
    if not isinstance(result, dict):
        return None
    last = result.get("last_active_drawing")
    if isinstance(last, dict) and last:
        return last
    every = result.get("all_drawings")
    if isinstance(every, list) and every and isinstance(every[-1], dict):
        return every[-1]
    return None


def geometry_from_text(text: str) -> shapely.Geometry:
    """A line or polygon from pasted WKT, or from ``lon lat`` pairs.

    Pairs are separated by ``;`` or new lines, numbers by a comma or spaces.
    Pairs that are all (lat, lon) in Ukraine's frame are swapped. A list whose
    last pair repeats the first is a polygon.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidGeometryError("nothing to read: paste WKT or lon, lat pairs")
    if len(text) > 200_000:
        raise InvalidGeometryError("the text is too long (at most 200,000 characters)")
    if re.match(r"^\s*(LINESTRING|POLYGON|MULTIPOLYGON)\b", text, re.I):
        try:
            geom = shapely.from_wkt(text)
        except Exception as exc:  # GEOSException and friends
            raise InvalidGeometryError(f"cannot read the WKT: {exc}") from exc
        return validate_geometry(geom, "pasted WKT")
    pairs = []
    for i, chunk in enumerate(c for c in re.split(r"[;\n]", text) if c.strip()):
        nums = re.findall(_NUM, chunk)
        if len(nums) != 2 or re.sub(rf"{_NUM}|[\s,]", "", chunk):
            raise InvalidGeometryError(f"pair {i + 1} ({chunk.strip()[:40]!r}) is not 'lon, lat'")
        pairs.append((float(nums[0]), float(nums[1])))
    swapped = all(_LAT_RANGE[0] <= a <= _LAT_RANGE[1] and _LON_RANGE[0] <= b <= _LON_RANGE[1] for a, b in pairs)
    if swapped:
        pairs = [(b, a) for a, b in pairs]
    if len(pairs) >= 4 and pairs[0] == pairs[-1]:
        return validate_geometry(Polygon(pairs), "pasted coordinates")
    return validate_geometry(LineString(pairs), "pasted coordinates")


@dataclass
class DrawnLine:
    """A user's drawn line or area with its name, source and quote."""

    name: str
    geometry: shapely.Geometry
    source_url: str = ""
    quote: str = ""
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    drawn_by: str = "user"
    line_id: str = ""

    def validate(self) -> DrawnLine:
        """Check every field; fill ``line_id``. Raises :class:`ValidationError`."""
        self.name = (self.name or "").strip()
        if not self.name:
            raise ValidationError("give the drawing a name", field=S.LINE_NAME)
        if len(self.name) > MAX_NAME:
            raise ValidationError(f"at most {MAX_NAME} characters", field=S.LINE_NAME)
        self.quote = (self.quote or "").strip()
        if len(self.quote) > MAX_QUOTE:
            raise ValidationError(f"at most {MAX_QUOTE} characters", field=DRAWN_QUOTE)
        self.source_url = (self.source_url or "").strip()
        if self.source_url and safe_url(self.source_url) is None:
            raise ValidationError("the source must be an http(s) URL", field=S.SOURCE_URL)
        try:
            dt.date.fromisoformat(str(self.date))
        except ValueError as exc:
            raise ValidationError(f"{self.date!r} is not YYYY-MM-DD", field=S.LINE_DATE) from exc
        self.geometry = validate_geometry(self.geometry)
        if not self.line_id:
            slug = re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")[:40]
            digest = hashlib.sha1(self.geometry.wkb).hexdigest()[:6]
            self.line_id = f"{DRAWN_PREFIX}{slug or 'line'}_{digest}"
        return self

    def to_feature(self) -> dict:
        """The record as the GeoJSON Feature stored in the drawn-lines file (``created`` is now)."""
        return {
            "type": "Feature",
            "properties": {
                S.LINE_ID: self.line_id,
                S.LINE_NAME: self.name,
                S.LINE_DATE: str(self.date),
                S.LINE_KIND: KIND_DRAWN,
                S.LINE_DRAWN_BY: self.drawn_by,
                S.SOURCE_URL: self.source_url,
                DRAWN_QUOTE: self.quote,
                DRAWN_CREATED: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            "geometry": self.geometry.__geo_interface__,
        }


def save_drawn(record: DrawnLine, path: str | Path | None = None, *, user: Principal | str | None = None) -> DrawnLine:
    """Validate ``record`` and append it to the drawn-lines file.

    ``user`` must be an editor (:mod:`geo.auth`); without one the embedded
    mode's local user saves. Refused in read-only mode.

    A record with an id already in the file replaces that entry. The read,
    append and rewrite happen under the user-lines lock of the file's
    directory (:func:`geo.atomic.locked`) and the file is replaced atomically,
    so concurrent saves from several processes all land.
    """
    authorize(user, Action.ADD)
    record.validate()
    p = Path(path) if path else drawn_file()
    with locked(p.parent):
        feats = [f for f in read_features(p) if (f.get("properties") or {}).get(S.LINE_ID) != record.line_id]
        feats.append(record.to_feature())
        write_features(p, feats)
    return record


def all_lines(shipped: gpd.GeoDataFrame, drawn: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Shipped lines followed by the drawn ones (columns of both kept)."""
    if drawn is None or drawn.empty:
        return shipped
    out = pd.concat([shipped, drawn], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=S.CRS)


def claim_record(
    record: DrawnLine,
    *,
    actor: str,
    source_kind: str = SourceKind.NEWS.value,
    reference_line: str = "",
    publisher: str = "",
    side: str = "",
) -> dict:
    """A claims-registry record (``schema.CLAIM_COLUMNS`` plus an inline source) for a drawing.

    The drawing's quote, date and geometry (WKT) become the claim's; its
    source URL becomes an inline source (publisher: ``publisher`` or the URL's
    host). A polygon is ground said to be held by the party ``side`` (a party id of
    the theatre; a line carries no side);
    the claim carries no figure (``kind`` empty): the area is measured from
    the geometry. Validation is left to the store (:mod:`geo.claims.model`).
    """
    record.validate()
    if not record.source_url:
        raise ValidationError("a claim needs its source URL", field=S.SOURCE_URL)
    host = urlsplit(record.source_url).hostname or ""
    polygon = record.geometry.geom_type in ("Polygon", "MultiPolygon")
    return {
        S.CLAIM_QUOTE: record.quote,
        S.CLAIM_ACTOR: actor,
        S.CLAIM_STANCE: Stance.ASSERTS.value,
        S.CLAIM_KIND: ClaimKind.NONE.value,
        S.CLAIM_REFERENCE_LINE: reference_line,
        S.CLAIM_SIDE: side if polygon else "",
        S.CLAIM_EVENT_DATE: str(record.date),
        S.CLAIM_NOTES: f"Drawn on the Compare page as {record.line_id} ({record.name}).",
        S.CLAIM_TAGS: LineKind.DRAWN.value,
        S.CLAIM_GEOMETRY: record.geometry.wkt,
        S.SOURCE_PUBLISHER: publisher or host,
        S.SOURCE_TITLE: record.name,
        S.SOURCE_URL: record.source_url,
        S.SOURCE_PUBLISHED: str(record.date),
        S.SOURCE_KIND: source_kind,
    }
