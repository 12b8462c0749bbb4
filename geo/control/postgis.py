"""Control areas and differences computed in PostGIS (team mode, issue 19 item 6).

The snapshots of a series are copied from the :class:`geo.control.store.ControlStore`
(each distinct geometry once, under the same content hash) into three tables of
the connection's first ``search_path`` schema, both geometry tables indexed
with GiST:

``control_geometries(hash, geom)``
    ``geometry(MultiPolygon, 4326)``, as stored (EPSG:4326).
``control_snapshots(theatre, series, party, date, hash)``
``control_regions(regions_key, name, geom)`` and ``control_region_sets(regions_key, geom)``
    The regions a series is measured in (each set under :func:`geo.control.measure.regions_key`)
    and the union of each set.
``control_measures(hash, regions_key, total_km2, outside_km2, per_region)``
    The area of each geometry, measured once: adding a day measures that day only.

Areas are ``ST_Area(geography)``, which PostGIS computes on the WGS84
spheroid with GeographicLib (Karney's algorithm), the one :class:`pyproj.Geod`
uses; intersections and differences are GEOS on ``geometry``, as in shapely.
Both sides read an edge the same way: edges are first cut to at most
:data:`geo.control.measure.MAX_EDGE_DEG` degrees (``ST_Segmentize`` here,
``shapely.segmentize`` in Python), so the geodesic between two vertices is
within about 1e-9 of the straight lon/lat edge the overlays cut along. The
results equal the Python path (:func:`geo.control.measure.area_series`,
:func:`geo.control.measure.change`) within 1e-6 relative (the tests check it).

Examples
--------
Needs a PostgreSQL/PostGIS URL, so not run here::

    with PostgisControl("postgresql://user@host/db") as pg:
        pg.sync(store, "ukraine-2022", "deepstate", "ru")
        rows = pg.area_series("ukraine-2022", "deepstate", "ru", regions_for("ukraine-2022"))
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import shapely

from geo.claims.store.postgis import psycopg_driver, redact_url
from geo.control.measure import MAX_EDGE_DEG, SLIVER_KM2, regions_key
from geo.control.store import ControlStore, check_date
from geo.errors import StoreError, ValidationError

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS control_geometries (
        hash TEXT PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS control_geometries_gix ON control_geometries USING GIST (geom)",
    """CREATE TABLE IF NOT EXISTS control_snapshots (
        theatre TEXT NOT NULL, series TEXT NOT NULL, party TEXT NOT NULL, date DATE NOT NULL,
        hash TEXT NOT NULL REFERENCES control_geometries(hash), PRIMARY KEY (theatre, series, party, date))""",
    """CREATE TABLE IF NOT EXISTS control_region_sets (
        regions_key TEXT PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS control_regions (
        regions_key TEXT NOT NULL REFERENCES control_region_sets(regions_key), name TEXT NOT NULL,
        geom geometry(MultiPolygon, 4326) NOT NULL, PRIMARY KEY (regions_key, name))""",
    "CREATE INDEX IF NOT EXISTS control_regions_gix ON control_regions USING GIST (geom)",
    """CREATE TABLE IF NOT EXISTS control_region_parts (
        regions_key TEXT NOT NULL REFERENCES control_region_sets(regions_key), name TEXT NOT NULL,
        geom geometry(Polygon, 4326) NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS control_region_parts_gix ON control_region_parts USING GIST (geom)",
    """CREATE TABLE IF NOT EXISTS control_measures (
        hash TEXT NOT NULL, regions_key TEXT NOT NULL, total_km2 DOUBLE PRECISION NOT NULL,
        outside_km2 DOUBLE PRECISION NOT NULL, per_region JSONB NOT NULL, PRIMARY KEY (hash, regions_key))""",
)

# Total, per-region and outside areas (km²) of the geometry @g@ (densified) in region set %(rk)s. The regions are
# held cut into pieces of at most PART_VERTICES vertices (ST_Subdivide), and @g@ is cut the same way, so the GiST
# index pairs the pieces that meet and each intersection is small; cut edges are densified like every edge, so
# the pieces' areas add up.
# Outside = total - the regions' sum (the regions of a set do not overlap: admin-1 regions).
_MEASURE = """
    SELECT tot.km2, COALESCE(per.j, '{}'::jsonb), GREATEST(tot.km2 - COALESCE(per.s, 0.0), 0.0)
    FROM (SELECT ST_Area((@g@)::geography) / 1e6 AS km2) tot
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(name, km2) FILTER (WHERE km2 > %(sliver)s) AS j, sum(km2) AS s FROM (
            SELECT p.name, sum(CASE WHEN ST_Contains(p.geom, s.geom) THEN ST_Area(s.geom::geography) / 1e6
                ELSE ST_Area(ST_Segmentize(ST_CollectionExtract(ST_Intersection(s.geom, p.geom), 3), %(edge)s)::geography)
                     / 1e6 END) AS km2
            FROM (SELECT ST_Segmentize(ST_Subdivide(@g@, %(part)s), %(edge)s) AS geom) s
            JOIN control_region_parts p
              ON p.regions_key = %(rk)s AND p.geom && s.geom AND ST_Intersects(p.geom, s.geom)
            GROUP BY p.name
        ) x
    ) per"""

#: Most vertices of a region piece in the database (``ST_Subdivide``).
PART_VERTICES = 256


def _measure_sql(g: str) -> str:
    """The :data:`_MEASURE` query of the expression ``g`` (a densified geometry)."""
    return _MEASURE.replace("@g@", g)


def _multi(geom) -> Any:
    """``geom`` as a MultiPolygon (what the geometry columns hold)."""
    if geom.geom_type == "MultiPolygon":
        return geom
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts)


class PostgisControl:
    """Control snapshots mirrored in PostGIS and measured there (see the module docstring).

    Parameters
    ----------
    url : str
        A ``postgresql://`` URL of a database with PostGIS; the tables go into
        the first schema of its ``search_path``.
    """

    def __init__(self, url: str) -> None:
        psycopg = psycopg_driver()
        try:
            self._conn = psycopg.connect(url, connect_timeout=30)
            with self._conn.transaction():
                for statement in _SCHEMA:
                    self._conn.execute(statement)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot open the PostGIS control tables: {redact_url(first)}") from None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> PostgisControl:
        """Use as a context manager: closed on exit."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the connection."""
        self.close()

    # -- loading -------------------------------------------------------------------------------
    def sync(self, store: ControlStore, theatre: str, series: str, party: str) -> int:
        """Copy a party's snapshots from ``store`` (one transaction): dates added, changed or removed there follow.

        Returns
        -------
        int
            The number of geometries copied (those already held are not sent again).
        """
        held = store.held(theatre, series, party)
        with self._conn.transaction():
            have = {h for (h,) in self._conn.execute("SELECT hash FROM control_geometries")}
            new = sorted({k for _, k in held} - have)
            with self._conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO control_geometries(hash, geom) VALUES (%s, ST_SetSRID(ST_GeomFromWKB(%s), 4326))",
                    [(k, shapely.to_wkb(_multi(store.geometry(k)), byte_order=1)) for k in new],
                )
                cur.execute(
                    "DELETE FROM control_snapshots WHERE theatre=%s AND series=%s AND party=%s",
                    (theatre, series, party),
                )
                cur.executemany(
                    "INSERT INTO control_snapshots(theatre, series, party, date, hash) VALUES (%s, %s, %s, %s, %s)",
                    [(theatre, series, party, d, k) for d, k in held],
                )
        return len(new)

    def put_regions(self, regions: gpd.GeoDataFrame) -> str:
        """Store a set of regions (once; densified as the Python path does); its key."""
        key = regions_key(regions)
        with self._conn.transaction():
            if self._conn.execute("SELECT 1 FROM control_region_sets WHERE regions_key=%s", (key,)).fetchone():
                return key
            geoms = shapely.segmentize(list(regions.geometry.values), MAX_EDGE_DEG)
            union = shapely.union_all(geoms)
            self._conn.execute(
                "INSERT INTO control_region_sets(regions_key, geom) VALUES (%s, ST_SetSRID(ST_GeomFromWKB(%s), 4326))",
                (key, shapely.to_wkb(_multi(union), byte_order=1)),
            )
            with self._conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO control_regions(regions_key, name, geom) "
                    "VALUES (%s, %s, ST_SetSRID(ST_GeomFromWKB(%s), 4326))",
                    [
                        (key, str(name), shapely.to_wkb(_multi(g), byte_order=1))
                        for name, g in zip(regions["name"], geoms, strict=True)
                    ],
                )
                cur.execute(
                    "INSERT INTO control_region_parts(regions_key, name, geom) "
                    "SELECT regions_key, name, ST_Subdivide(geom, %s) FROM control_regions WHERE regions_key=%s",
                    (PART_VERTICES, key),
                )
            self._conn.execute("ANALYZE control_region_parts")
        return key

    # -- measuring -----------------------------------------------------------------------------
    def _measure_missing(self, theatre: str, series: str, party: str, rkey: str, only: str | None = None) -> int:
        """Measure (in one statement) every geometry of the party (or only hash ``only``) not measured yet; how many."""
        # MATERIALIZED: each densified geometry is computed once, not at every use in the measure
        sql = f"""
            WITH d AS MATERIALIZED (
                SELECT t.hash, ST_Segmentize(g.geom, %(edge)s) AS geom
                FROM (SELECT DISTINCT hash FROM control_snapshots
                      WHERE theatre=%(theatre)s AND series=%(series)s AND party=%(party)s
                        AND (%(only)s::text IS NULL OR hash = %(only)s::text)) t
                JOIN control_geometries g ON g.hash = t.hash
                WHERE NOT EXISTS (SELECT 1 FROM control_measures c WHERE c.hash = t.hash AND c.regions_key = %(rk)s))
            INSERT INTO control_measures(hash, regions_key, total_km2, per_region, outside_km2)
            SELECT d.hash, %(rk)s, m.* FROM d CROSS JOIN LATERAL ({_measure_sql("d.geom")}) m"""
        args = {"rk": rkey, "theatre": theatre, "series": series, "party": party, "sliver": SLIVER_KM2}
        args.update(edge=MAX_EDGE_DEG, only=only, part=PART_VERTICES)
        with self._conn.transaction():
            return self._conn.execute(sql, args).rowcount

    def area_series(self, theatre: str, series: str, party: str, regions: gpd.GeoDataFrame) -> list[dict]:
        """As :func:`geo.control.measure.area_series`, measured in the database: only new geometries are measured."""
        rkey = self.put_regions(regions)
        self._measure_missing(theatre, series, party, rkey)
        rows = self._conn.execute(
            "SELECT s.date, m.total_km2, m.per_region, m.outside_km2 FROM control_snapshots s "
            "JOIN control_measures m ON m.hash = s.hash AND m.regions_key = %s "
            "WHERE s.theatre=%s AND s.series=%s AND s.party=%s ORDER BY s.date",
            (rkey, theatre, series, party),
        ).fetchall()
        self._conn.commit()
        return [
            {"date": d.isoformat(), "total_km2": t, "per_region": dict(sorted(p.items())), "outside_km2": o}
            for d, t, p, o in rows
        ]

    def area_on(self, theatre: str, series: str, party: str, date, regions: gpd.GeoDataFrame) -> dict:
        """As :func:`geo.control.measure.area_on`, measured in the database (that snapshot only, once)."""
        rkey = self.put_regions(regions)
        day, key = self._on_or_before(theatre, series, party, date)
        self._measure_missing(theatre, series, party, rkey, only=key)
        total, per, outside = self._conn.execute(
            "SELECT total_km2, per_region, outside_km2 FROM control_measures WHERE hash=%s AND regions_key=%s",
            (key, rkey),
        ).fetchone()
        self._conn.commit()
        return {
            "date": day.isoformat(),
            "total_km2": total,
            "per_region": dict(sorted(per.items())),
            "outside_km2": outside,
        }

    def _on_or_before(self, theatre: str, series: str, party: str, date) -> tuple[dt.date, str]:
        day = check_date(date)
        row = self._conn.execute(
            "SELECT date, hash FROM control_snapshots WHERE theatre=%s AND series=%s AND party=%s AND date<=%s "
            "ORDER BY date DESC LIMIT 1",
            (theatre, series, party, day),
        ).fetchone()
        if row is None:
            raise ValidationError(f"no snapshot of {party!r} on or before {day.isoformat()} in the PostGIS tables")
        return row[0], row[1]

    def change(self, theatre: str, series: str, party: str, date_from, date_to, regions: gpd.GeoDataFrame) -> dict:
        """As :func:`geo.control.measure.change` (without the polygons), with ST_Difference and geography areas."""
        rkey = self.put_regions(regions)
        a_day, a_key = self._on_or_before(theatre, series, party, date_from)
        b_day, b_key = self._on_or_before(theatre, series, party, date_to)
        # MATERIALIZED: the difference is computed once, not at every use in the measure
        sql = f"""
            WITH x AS MATERIALIZED (
                SELECT ST_Segmentize(ST_CollectionExtract(ST_Difference(p.geom, q.geom), 3), %(edge)s) AS geom
                FROM control_geometries p, control_geometries q WHERE p.hash=%(p)s AND q.hash=%(q)s)
            SELECT m.* FROM x CROSS JOIN LATERAL ({_measure_sql("x.geom")}) m"""
        args = {"rk": rkey, "sliver": SLIVER_KM2, "edge": MAX_EDGE_DEG, "part": PART_VERTICES}
        gained = self._conn.execute(sql, {**args, "p": b_key, "q": a_key}).fetchone()
        lost = self._conn.execute(sql, {**args, "p": a_key, "q": b_key}).fetchone()
        self._conn.commit()
        names = sorted(set(gained[1]) | set(lost[1]))
        per = {}
        for name in names:
            g, lo = gained[1].get(name, 0.0), lost[1].get(name, 0.0)
            per[name] = {"gained_km2": g, "lost_km2": lo, "net_km2": g - lo}
        return {
            "from": a_day.isoformat(),
            "to": b_day.isoformat(),
            "gained_km2": gained[0],
            "lost_km2": lost[0],
            "net_km2": gained[0] - lost[0],
            "per_region": per,
            "outside": {"gained_km2": gained[2], "lost_km2": lost[2]},
        }

    def counts(self) -> dict[str, int]:
        """Rows per table (for reports and tests)."""
        return {
            t: self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
            for t in ("control_geometries", "control_snapshots", "control_measures")
        }
