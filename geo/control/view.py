"""What the Control maps page shows, as plain data: uploads read, the state on a date, its change, two monitors.

The page only reads widgets and draws; everything it shows comes from here.
Nothing in this module depends on how many dates a series holds, except
:func:`content_key` (one query per series) and the area series itself
(:func:`geo.control.measure.area_series`, measured once per geometry).

Examples
--------
>>> import datetime as dt
>>> days = [dt.date(2024, 7, 8), dt.date(2024, 7, 9), dt.date(2024, 7, 11)]
>>> step(days, dt.date(2024, 7, 9)), step(days, dt.date(2024, 7, 11)), step(days, dt.date(2024, 7, 10), -1)
(datetime.date(2024, 7, 11), None, datetime.date(2024, 7, 9))
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo import schema as S
from geo.control import states
from geo.control.measure import SLIVER_KM2, change_between, disagreement, settlements_changed
from geo.control.series import MAX_PARTY, PartyRule, Refusal, SeriesRead, read_series_bytes
from geo.control.store import DEFAULT_SERIES, ControlStore
from geo.errors import GeoError, ValidationError
from geo.measure import geodesic_area_km2
from geo.reference.settlements import load_settlements
from geo.theatres.catalogue import get_theatre

#: The label of the region-table row for what lies outside every region.
OUTSIDE = "(outside every region)"
#: Called while uploads are read with (share done 0..1, name of the file just read).
UploadProgress = Callable[[float, str], object] | None


def content_key(store: ControlStore, theatre: str) -> str:
    """A fingerprint of everything held for ``theatre`` (every series, party, date and geometry hash).

    It changes whenever a snapshot of the theatre is added or deleted: the
    key of the page's caches.
    """
    digest = hashlib.sha256(theatre.encode())
    for series, party in store.parties(theatre):
        digest.update(f"\0{series}\0{party}".encode())
        for day, key in store.held(theatre, series, party):
            digest.update(f"\0{day.isoformat()}={key}".encode())
    return digest.hexdigest()[:32]


def check_series_name(name: str | None) -> str:
    """The series name to store under: stripped, :data:`DEFAULT_SERIES` when empty; refused when too long.

    >>> check_series_name("  DeepState "), check_series_name("")
    ('DeepState', 'default')
    """
    text = (name or "").strip()
    if len(text) > MAX_PARTY:
        raise ValidationError(f"series name must be at most {MAX_PARTY} characters")
    return text or DEFAULT_SERIES


def read_uploads(
    files: Sequence[tuple[str, bytes]],
    *,
    party: str | None = None,
    party_field: str | None = None,
    date_field: str | None = None,
    progress: UploadProgress = None,
) -> SeriesRead:
    """Read several uploaded files (each a GIS file or a zip of dated files) as one series.

    A file that cannot be read at all (a damaged zip, say) is refused by name;
    the others are still read. ``progress(share, name)`` is called after each
    file (and each member of a zip).

    Raises
    ------
    ValidationError
        When no party and no party property are given (nothing is read).
    """
    rule = PartyRule(party, party_field).check()
    out = SeriesRead()
    n = max(len(files), 1)
    for i, (name, data) in enumerate(files):

        def inner(done: int, total: int, member: str, i=i) -> None:
            if progress is not None:
                progress((i + done / max(total, 1)) / n, member)

        try:
            got = read_series_bytes(
                data, name, party=rule.party, party_field=rule.field, date_field=date_field, progress=inner
            )
        except GeoError as exc:
            out.refused.append(Refusal(name, str(exc).strip().splitlines()[0]))
            out.files += 1
            if progress is not None:
                progress((i + 1) / n, name)
            continue
        out.snapshots.extend(got.snapshots)
        out.refused.extend(got.refused)
        out.warnings.extend(got.warnings)
        out.files += got.files
    return out


def step(dates: Sequence[dt.date], current: dt.date, delta: int = 1) -> dt.date | None:
    """The held date ``delta`` steps after (or, negative, before) ``current``; None past either end.

    ``current`` need not be held: stepping starts from where it would sit.
    """
    if delta == 0:
        return current
    if delta > 0:
        i = bisect.bisect_right(dates, current) + delta - 1
    else:
        i = bisect.bisect_left(dates, current) + delta
    return dates[i] if 0 <= i < len(dates) else None


def settlements_for(theatre_id: str) -> gpd.GeoDataFrame:
    """The theatre's settlements (its ``settlements.csv``), or an empty frame when it has none."""
    theatre = get_theatre(theatre_id)
    if theatre.has_table("settlements.csv"):
        return load_settlements(theatre.table_path("settlements.csv"))
    return gpd.GeoDataFrame({"name": [], S.S_OBLAST: []}, geometry=[], crs=S.CRS)


@dataclass(frozen=True)
class Pick:
    """One party of one series: what the page shows (``series``, ``party``)."""

    series: str
    party: str

    @property
    def label(self) -> str:
        """``series · party``."""
        return f"{self.series} · {self.party}"


def picks(store: ControlStore, theatre: str) -> list[Pick]:
    """Every (series, party) held for ``theatre``, in name order."""
    return [Pick(s, p) for s, p in store.parties(theatre)]


def control_view(
    store: ControlStore,
    theatre: str,
    pick: Pick,
    date_from: dt.date,
    date_to: dt.date,
    regions: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame | None = None,
    other: Pick | None = None,
) -> dict:
    """The control state of ``pick`` on ``date_to``, its change since ``date_from``, and another monitor.

    Only the snapshots in force on the two dates (and the other monitor's on
    ``date_to``) are read, whatever the number of dates held.

    Returns
    -------
    dict
        ``date``/``from`` (the snapshot dates used), ``state`` (geometry on
        ``date``), ``state_km2``, ``gained``/``lost`` (geometries),
        ``gained_km2``, ``lost_km2``, ``net_km2``, ``per_region`` and ``outside`` (change per
        region and outside every region, as :func:`geo.control.measure.change_between`), ``settlements``
        (changed hands, :func:`geo.control.measure.settlements_changed` rows);
        with ``other``: ``other`` (its geometry), ``other_date`` and
        ``disagreement`` (:func:`geo.control.measure.disagreement` without the geometries
        ``a_only``/``b_only``, which are ``a_only``/``b_only`` here), or, when it
        holds no snapshot on or before ``date_to``, ``other_missing`` (why).
    """
    from_day, from_key = store.on_or_before(theatre, pick.series, pick.party, date_from)
    to_day, to_key = store.on_or_before(theatre, pick.series, pick.party, date_to)
    state = store.geometry(to_key)
    if from_key == to_key:
        changed = change_between(None, None, regions)
    else:
        changed = change_between(store.geometry(from_key), state, regions)
    out = {
        "date": to_day.isoformat(),
        "from": from_day.isoformat(),
        "state": state,
        "state_km2": geodesic_area_km2(state),
        **{k: changed[k] for k in ("gained", "lost", "gained_km2", "lost_km2", "net_km2", "per_region", "outside")},
        "settlements": settlements_changed(changed["gained"], changed["lost"], settlements),
    }
    if other is not None:
        try:
            other_day, other_key = store.on_or_before(theatre, other.series, other.party, date_to)
        except ValidationError as exc:  # the other monitor starts later: say so, show the rest
            out["other_missing"] = f"{other.label}: {exc}"
            return out
        other_geom = store.geometry(other_key)
        diff = disagreement(state, other_geom, regions)
        out["other"] = other_geom
        out["other_date"] = other_day.isoformat()
        out["a_only"], out["b_only"] = diff.pop("a_only"), diff.pop("b_only")
        out["disagreement"] = diff
    return out


def region_rows(area_row: dict, change: dict) -> list[dict]:
    """One row per region: area held on the date and gained/lost/net since the "from" date (km²).

    ``area_row`` is a row of :func:`geo.control.measure.area_series` (``per_region``),
    ``change`` has ``per_region`` (and ``outside``) as from :func:`control_view`.
    Regions with neither area nor change are left out; rows by area held,
    largest first, then a row :data:`OUTSIDE` for what lies outside every
    region (when there is any), so the rows add up to the totals.

    >>> rows = region_rows({"per_region": {"A": 5.0}, "outside_km2": 2.0},
    ...     {"per_region": {"B": {"gained_km2": 1.0, "lost_km2": 0.0, "net_km2": 1.0}}})
    >>> [(r["region"], r["held_km2"], r["net_km2"]) for r in rows]
    [('A', 5.0, 0.0), ('B', 0.0, 1.0), ('(outside every region)', 2.0, 0.0)]
    """
    held = area_row.get("per_region", {})
    moved = change.get("per_region", {})
    rows = []
    for name in sorted(set(held) | set(moved)):
        c = moved.get(name, {})
        rows.append(
            {
                "region": name,
                "held_km2": float(held.get(name, 0.0)),
                "gained_km2": float(c.get("gained_km2", 0.0)),
                "lost_km2": float(c.get("lost_km2", 0.0)),
                "net_km2": float(c.get("net_km2", 0.0)),
            }
        )
    rows.sort(key=lambda r: (-r["held_km2"], r["region"]))
    out_held = float(area_row.get("outside_km2", 0.0))
    out_change = change.get("outside") or {}
    gained, lost = float(out_change.get("gained_km2", 0.0)), float(out_change.get("lost_km2", 0.0))
    if out_held > 0 or gained > 0 or lost > 0:
        rows.append(
            {"region": OUTSIDE, "held_km2": out_held, "gained_km2": gained, "lost_km2": lost, "net_km2": gained - lost}
        )
    return rows


def disagreement_rows(diff: dict) -> list[dict]:
    """The per-region table of a :func:`geo.control.measure.disagreement`: region, only in A, only in B (km²).

    A last row :data:`OUTSIDE` holds what lies outside every region (the
    totals minus the regions), when there is any.

    >>> diff = {"a_only_km2": 5.0, "b_only_km2": 1.0, "per_region": {"R": {"a_only_km2": 4.0, "b_only_km2": 1.0}}}
    >>> [(r["region"], r["a_only_km2"], r["b_only_km2"]) for r in disagreement_rows(diff)]
    [('R', 4.0, 1.0), ('(outside every region)', 1.0, 0.0)]
    """
    rows = [
        {"region": name, "a_only_km2": float(v["a_only_km2"]), "b_only_km2": float(v["b_only_km2"])}
        for name, v in sorted(diff.get("per_region", {}).items())
    ]
    a_out = float(diff.get("a_only_km2", 0.0)) - sum(r["a_only_km2"] for r in rows)
    b_out = float(diff.get("b_only_km2", 0.0)) - sum(r["b_only_km2"] for r in rows)
    a_out, b_out = (v if v > SLIVER_KM2 * 1e3 else 0.0 for v in (a_out, b_out))
    if a_out or b_out:
        rows.append({"region": OUTSIDE, "a_only_km2": a_out, "b_only_km2": b_out})
    return rows


def is_areal(geom) -> bool:
    """Whether ``geom`` has an area to draw."""
    return geom is not None and not geom.is_empty and shapely.area(geom) > 0


# ---------------------------------------------------------------- any two control states compared
#: How the page names each kind of control state (:data:`geo.control.states.KINDS`).
STATE_KIND_LABELS = {
    states.LINE: "a line's side",
    states.SERIES: "a series snapshot",
    states.FILE: "an uploaded polygon file",
}
#: The label of the states table's row of totals.
ALL_REGIONS = "(all regions)"


@dataclass(frozen=True)
class StateChoice:
    """One control state as the page's widgets pick it.

    ``kind`` is one of :data:`geo.control.states.KINDS`; ``value`` the line id,
    series name or uploaded file's name; ``date`` the snapshot date (series);
    ``data`` the uploaded file's bytes (file).

    >>> StateChoice("series", "DeepState", "2025-01-01").spec, StateChoice("line", "minsk").spec
    ('series:DeepState@2025-01-01', 'line:minsk')
    """

    kind: str
    value: str
    date: str | None = None
    data: bytes | None = None

    @property
    def spec(self) -> str:
        """The state spec of :func:`geo.control.states.parse_spec` (a file is named, its bytes aside)."""
        if self.kind == states.SERIES:
            return f"{states.SERIES}:{self.value}@{self.date}"
        return f"{self.kind}:{self.value}"


def state_parties(theatre_parties: Sequence[str], store: ControlStore, theatre: str) -> list[str]:
    """The parties whose ground can be compared: the theatre's, then those only the store's series name.

    >>> import tempfile, os
    >>> with ControlStore(os.path.join(tempfile.mkdtemp(), "c.sqlite")) as s:
    ...     state_parties(["ukraine", "separatists"], s, "donbas-2014-15")
    ['ukraine', 'separatists']
    """
    out = list(dict.fromkeys(theatre_parties))
    for _, party in store.parties(theatre):
        if party not in out:
            out.append(party)
    return out


def line_choices(lines: gpd.GeoDataFrame) -> dict[str, str]:
    """``{line_id: label}`` of the lines a state can come from (:func:`geo.control.states.theatre_lines_for_states`).

    The label is the line's name, with its date when the name does not say the year.

    >>> lines = gpd.GeoDataFrame({"line_id": ["m"], "name": ["Minsk line"], "date": ["2014-09-19"]},
    ...     geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    >>> line_choices(lines)
    {'m': 'Minsk line (2014-09-19)'}
    >>> line_choices(lines.assign(name=["Minsk line (19 Sep 2014)"]))
    {'m': 'Minsk line (19 Sep 2014)'}
    """
    out = {}
    for _, row in lines.iterrows():
        line_id = str(row[S.LINE_ID])
        name = str(row.get(S.LINE_NAME, "") or "").strip() or line_id
        date = str(row.get(S.LINE_DATE, "") or "").strip()
        dated = date and date != "None" and date[:4] not in name  # a name that says its year needs no date
        out[line_id] = f"{name} ({date})" if dated else name
    return out


def series_choices(store: ControlStore, theatre: str, party: str) -> dict[str, list[dt.date]]:
    """``{series: [dates held]}`` of the party's series in ``theatre`` (series with no snapshot of it left out)."""
    out = {}
    for series, held_party in store.parties(theatre):
        if held_party == party:
            out[series] = store.dates(theatre, series, party)
    return out


def state_kinds(has_lines: bool, has_series: bool) -> list[str]:
    """The kinds of state the page offers, in order: a line's side, a series snapshot, an uploaded file.

    A line's side when the theatre has lines; a snapshot when the party has a series; a file always.

    >>> state_kinds(True, False)
    ['line', 'file']
    """
    return [k for k, ok in ((states.LINE, has_lines), (states.SERIES, has_series), (states.FILE, True)) if ok]


def lines_key(lines: gpd.GeoDataFrame) -> str:
    """A fingerprint of the lines (ids, side rules and geometries): a cache key that changes when a line does."""
    digest = hashlib.sha256()
    for _, row in lines.iterrows():
        digest.update(str(row.drop(labels=["geometry"], errors="ignore").to_dict()).encode())
        geom = row.geometry
        digest.update(b"" if geom is None else shapely.to_wkb(geom))
    return digest.hexdigest()[:32]


def resolve_choice(
    choice: StateChoice,
    party: str,
    regions: gpd.GeoDataFrame,
    *,
    theatre: str,
    store: ControlStore | None,
    lines: gpd.GeoDataFrame | None = None,
) -> states.ControlState:
    """The :class:`geo.control.states.ControlState` a choice names (an upload is read from its bytes).

    Raises
    ------
    GeoError
        As :func:`geo.control.states.resolve_state` (an upload without bytes is refused).
    """
    if choice.kind != states.FILE:
        return states.resolve_state(choice.spec, party, regions, theatre=theatre, store=store, lines=lines)
    if not choice.data:
        raise ValidationError(f"{choice.value or 'the file'}: upload a polygon file first")
    try:
        return states.file_state(choice.data, party, regions, filename=choice.value)
    except ValidationError:
        raise
    except GeoError as exc:
        raise type(exc)(f"state {choice.spec!r}: {exc}") from None


def compare_choices(
    a: StateChoice,
    b: StateChoice,
    party: str,
    regions: gpd.GeoDataFrame,
    *,
    theatre: str,
    store: ControlStore | None,
    lines: gpd.GeoDataFrame | None = None,
) -> dict:
    """Two picked states compared: :func:`geo.control.states.disagreement` (``a``, ``b``, km², per region, polygons).

    A failure names the state (``A: ...`` or ``B: ...``).
    """
    resolved = []
    for name, choice in (("A", a), ("B", b)):
        try:
            resolved.append(resolve_choice(choice, party, regions, theatre=theatre, store=store, lines=lines))
        except GeoError as exc:
            raise ValidationError(f"{name}: {exc}") from None
    return states.disagreement(*resolved, regions)


def states_rows(diff: dict) -> list[dict]:
    """The per-region table of :func:`compare_choices`: region, only in A, only in B, in both (km²), then the totals.

    >>> d = {"only_a_km2": 3.0, "only_b_km2": 1.0, "both_km2": 5.0,
    ...     "per_region": {"R": {"only_a_km2": 3.0, "only_b_km2": 1.0, "both_km2": 5.0}}}
    >>> [(r["region"], r["only_a_km2"], r["both_km2"]) for r in states_rows(d)]
    [('R', 3.0, 5.0), ('(all regions)', 3.0, 5.0)]
    """
    keys = ("only_a_km2", "only_b_km2", "both_km2")
    rows = [
        {"region": name, **{k: float(v.get(k, 0.0)) for k in keys}}
        for name, v in sorted(diff.get("per_region", {}).items())
    ]
    rows.append({"region": ALL_REGIONS, **{k: float(diff.get(k, 0.0)) for k in keys}})
    return rows
