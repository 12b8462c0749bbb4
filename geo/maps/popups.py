"""Tooltips and popups listing sources, and the display tables of claims and verdicts.

All text from data reaches the page through :func:`geo.html.esc`; links only
ever use http(s) URLs.
"""

from __future__ import annotations

import json

import pandas as pd

from geo import config
from geo import schema as S
from geo.cells import cell_text, is_missing
from geo.html import esc, link, safe_url
from geo.labels import label, labels
from geo.maps.style import IMPLIED_TITLE, PARTIES, QUALIFIER_SIGNS


def fmt_km2(value) -> str:
    """'1,234 km²' (or '' for missing)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if v != v:
        return ""
    return f"{v:,.0f} km²" if v >= 10 else f"{v:,.1f} km²"


def fmt_per_oblast(per_oblast: str | dict | None) -> str:
    """'Donetsk 397 km², Luhansk 355 km²' from the per-oblast JSON of a contested area."""
    if isinstance(per_oblast, str):
        per_oblast = json.loads(per_oblast or "{}")
    return ", ".join(f"{k} {fmt_km2(v)}" for k, v in sorted((per_oblast or {}).items()))


def claim_figure(claim: pd.Series) -> str:
    """'> 500 km²' for an area claim, '15 km' for a distance, '' otherwise."""
    return figure_text(claim.get(S.CLAIM_QUALIFIER), claim.get(S.CLAIM_VALUE_KM2), claim.get(S.CLAIM_VALUE_KM))


def figure_text(qualifier, km2, km) -> str:
    """:func:`claim_figure` from a claim's qualifier, km² and km values (what a table column gives).

    >>> figure_text("more_than", 500.0, None), figure_text("", None, 15.0), figure_text(None, None, None)
    ('> 500 km²', '15 km', '')
    """
    sign = QUALIFIER_SIGNS.get(str(qualifier or ""), "")
    if not is_missing(km2):
        return f"{sign} {fmt_km2(km2)}".strip()
    if not is_missing(km):
        return f"{sign} {float(km):,.0f} km".strip()
    return ""


def claim_html(claim: pd.Series, measured_km2: float | None = None) -> str:
    """One claim as escaped HTML: quote, actor, date, source link, claimed vs measured."""
    title = claim.get(S.SOURCE_TITLE) or claim.get(S.SOURCE_PUBLISHER) or "source"
    pub = claim.get(S.SOURCE_PUBLISHER) or ""
    src = link(claim.get(S.SOURCE_URL), title)
    published = claim.get(S.SOURCE_PUBLISHED) or ""
    parts = [
        f'<blockquote style="margin:4px 0;font-style:italic">“{esc(claim.get(S.CLAIM_QUOTE))}”</blockquote>',
        f"<div><b>{esc(claim.get(S.CLAIM_ACTOR))}</b> ({esc(label('stance', claim.get(S.CLAIM_STANCE)))}), "
        f"event {esc(claim.get(S.CLAIM_EVENT_DATE))}</div>",
        f"<div>Source: {src} — {esc(pub)} {esc(published)}</div>",
    ]
    figure = claim_figure(claim)
    if figure and pd.notna(claim.get(S.CLAIM_VALUE_KM2)):
        measured = f" / measured {esc(fmt_km2(measured_km2))}" if measured_km2 is not None else ""
        parts.append(f"<div><b>claimed {esc(figure)}{measured}</b></div>")
    elif figure:
        parts.append(f"<div><b>figure: {esc(figure)}</b></div>")
    grade = [
        label("reliability_source", claim.get(S.CLAIM_REL_SOURCE)),
        label("reliability_info", claim.get(S.CLAIM_REL_INFO)),
    ]
    grade = "; ".join(g for g in grade if g)
    if grade:
        parts.append(f"<div>Reliability (Admiralty): {esc(grade)}</div>")
    # The id stays, small: it is what a person copies to find the claim in the registry.
    parts.append(f'<div style="color:#555">Claim id {esc(claim.get(S.CLAIM_ID))}</div>')
    return "".join(parts)


#: Claims listed in one area's popup by default; the rest are counted ("… and N more").
#: ``$CONTESTED_POPUP_CLAIMS`` changes it (:func:`geo.config.popup_claims`).
POPUP_CLAIMS = config.POPUP_CLAIMS_DEFAULT


def more_claims_html(n_more: int) -> str:
    """'… and N more' after the claims a popup lists ('' when none is left out).

    >>> more_claims_html(0), more_claims_html(3)
    ('', '<div>… and 3 more (all of them in the tables below the map and in exports)</div>')
    """
    if n_more <= 0:
        return ""
    return f"<div>… and {n_more:,} more (all of them in the tables below the map and in exports)</div>"


def contested_popup_html(area: pd.Series, claims: pd.DataFrame) -> str:
    """Popup of a contested area: name, geodesic km² (per oblast) and its claims.

    It counts the joined claims and lists the first :func:`geo.config.popup_claims` (10), then
    "… and N more": the popup does not grow with the registry.
    """
    per_oblast = json.loads(area.get("per_oblast") or "{}")
    rows = "".join(f"<li>{esc(k)}: {esc(fmt_km2(v))}</li>" for k, v in sorted(per_oblast.items()))
    ids = [i for i in str(area.get(S.C_CLAIM_IDS) or "").split(";") if i]
    joined = claims[claims[S.CLAIM_ID].isin(ids)] if ids else claims.iloc[0:0]
    km2 = float(area[S.AREA_KM2])
    shown = joined.iloc[: config.popup_claims()]
    items = "".join(f'<li style="margin-bottom:6px">{claim_html(c, km2)}</li>' for _, c in shown.iterrows())
    claims_part = (
        f"<div><b>{len(joined):,} claim(s) about this area</b></div><ol style='padding-left:18px'>{items}</ol>"
        + more_claims_html(len(joined) - len(shown))
        if len(joined)
        else "<div>No claim in the registry refers to this area.</div>"
    )
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(area[S.LINE_NAME])}</h4>"
        f"<div>Measured (geodesic): <b>{esc(fmt_km2(km2))}</b></div><ul>{rows}</ul>{claims_part}"
        f"{settlements_html(area) if 'n_settlements' in area.index else ''}"
        "<div style='color:#555;font-size:11px'>Lines at settlement-level precision.</div></div>"
    )


def line_popup_html(line: pd.Series, sources: pd.DataFrame | None = None) -> str:
    """Popup of a reference line: name, date, who drew/agreed it, method, sources."""
    src_ids = [s for s in str(line.get(S.LINE_SOURCES) or "").split(";") if s]
    src_items = ""
    if sources is not None and src_ids:
        known = sources[sources[S.SOURCE_ID].isin(src_ids)]
        src_items = "".join(
            f"<li>{link(r[S.SOURCE_URL], r[S.SOURCE_TITLE] or r[S.SOURCE_PUBLISHER])} ({esc(r[S.SOURCE_PUBLISHER])})</li>"
            for _, r in known.iterrows()
        )
    precision = line.get(S.LINE_PRECISION_KM)
    prec = f"±{float(precision):g} km" if not is_missing(precision) else "unknown"
    return (
        f"<div style='max-width:380px'><h4 style='margin:0 0 4px'>{esc(line[S.LINE_NAME])}</h4>"
        f"<div>Date: {esc(line[S.LINE_DATE])} · {esc(label('line_kind', line[S.LINE_KIND]))}</div>"
        f"<div>Drawn by: {esc(line.get(S.LINE_DRAWN_BY))}</div>"
        + (f"<div>Agreed by: {esc(line.get(S.LINE_AGREED_BY))}</div>" if line.get(S.LINE_AGREED_BY) else "")
        + f"<div>Precision: {esc(prec)} (settlement level)</div>"
        f"<div>Method: {esc(line.get(S.LINE_METHOD))}</div>"
        + (f"<div>Sources:<ul>{src_items}</ul></div>" if src_items else "")
        + "</div>"
    )


def claims_view(claims: pd.DataFrame, line_names: dict | None = None) -> pd.DataFrame:
    """Claims as a display table: figure, quote, actor, date, source; links only http(s).

    Stored vocabularies are shown as :func:`geo.labels.label`; reference lines
    by name when ``line_names`` (id -> name) is given. The claim id stays: it is
    what a person copies to find the claim.
    """
    out = pd.DataFrame(
        {
            "claim": claims[S.CLAIM_ID],
            "actor": claims[S.CLAIM_ACTOR],
            "stance": labels("stance", claims[S.CLAIM_STANCE]),
            "event date": claims[S.CLAIM_EVENT_DATE],
            "figure": [
                figure_text(q, km2, km)
                for q, km2, km in zip(
                    claims[S.CLAIM_QUALIFIER], claims[S.CLAIM_VALUE_KM2], claims[S.CLAIM_VALUE_KM], strict=True
                )
            ],
            "reference line": [
                (line_names or {}).get(v, v) for v in claims[S.CLAIM_REFERENCE_LINE].fillna("").astype(str)
            ],
            "quote": claims[S.CLAIM_QUOTE],
            "source": claims[S.SOURCE_PUBLISHER].fillna("") + ": " + claims[S.SOURCE_TITLE].fillna(""),
            "published": claims[S.SOURCE_PUBLISHED],
            "source link": _safe_urls(claims[S.SOURCE_URL]),
        }
    )
    return out


def _safe_urls(urls: pd.Series) -> list[str | None]:
    """:func:`geo.html.safe_url` of each value, each distinct URL checked once (a source has many claims)."""
    checked: dict = {}
    out = []
    for url in urls:
        if url not in checked:
            checked[url] = safe_url(url)
        out.append(checked[url])
    return out


def held_by_phrase(value) -> str:
    """Who holds an area, as written inside a sentence: the party's ``phrase`` in its theatre.json, else its label.

    >>> held_by_phrase("separatists"), held_by_phrase("ukraine"), held_by_phrase("side_x")
    ('separatists', 'Ukraine', 'Side x')
    """
    party = PARTIES.get(str(value))
    return party.in_sentence if party is not None else label("held_by", value)


BOUND_WORDS = {
    S.BOUND_LOWER: "lower bound: the claim says at least this much",
    S.BOUND_UPPER: "upper bound: the claim says at most this much",
    S.BOUND_ESTIMATE: "the figure as given",
}


def as_number(value) -> float | None:
    """``value`` as a float, None when it is not a number or is NaN.

    >>> as_number("2.5"), as_number("x"), as_number(float("nan"))
    (2.5, None, None)
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if v != v else v


def settlements_html(feature: pd.Series) -> str:
    """'Settlements inside (N, population P): A (pop), B … and N more', escaped."""
    n = int(as_number(feature.get("n_settlements")) or 0)
    if not n:
        return "<div>No settlement of the gazetteer inside.</div>"
    pop = as_number(feature.get("settlement_population")) or 0.0
    return (
        f"<div><b>Settlements inside: {n}</b> (known population {esc(f'{pop:,.0f}')}): "
        f"{esc(feature.get('settlements'))}</div>"
    )


def implied_popup_html(band: pd.Series) -> str:
    """Popup of an implied band: the label, claim, source, width, claimed vs measured."""
    width = as_number(band.get(S.I_WIDTH_KM))
    parts = [
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(IMPLIED_TITLE)}</h4>",
        f"<div>Claim by <b>{esc(band.get(S.CLAIM_ACTOR))}</b>, event {esc(band.get(S.CLAIM_EVENT_DATE))}</div>",
        f'<blockquote style="margin:4px 0;font-style:italic">“{esc(band.get(S.CLAIM_QUOTE))}”</blockquote>',
        f"<div>Source: {link(band.get(S.SOURCE_URL), band.get(S.SOURCE_TITLE) or band.get(S.SOURCE_PUBLISHER) or 'source')}"
        f" — {esc(band.get(S.SOURCE_PUBLISHER))} {esc(band.get(S.SOURCE_PUBLISHED))}</div>",
        f"<div>Figure: <b>{esc(fmt_km2(band.get(S.I_CLAIMED_KM2)))}</b> "
        f"({esc(BOUND_WORDS.get(str(band.get(S.I_BOUND)), ''))}); band "
        f"<b>{esc(f'{width:.2f}' if width is not None else '?')} km</b> deep beyond "
        f"{esc(band.get('reference_line_name') or band.get(S.CLAIM_REFERENCE_LINE))}, "
        f"area {esc(fmt_km2(band.get(S.AREA_KM2)))} (geodesic)</div>",
    ]
    measured = as_number(band.get(S.M_MEASURED_KM2))
    if measured is not None:
        low, high = as_number(band.get(S.M_MEASURED_LOW_KM2)), as_number(band.get(S.M_MEASURED_HIGH_KM2))
        rng = f" (range {fmt_km2(low)} – {fmt_km2(high)})" if low is not None and high is not None else ""
        ratio = as_number(band.get(S.M_RATIO))
        parts.append(
            f"<div>Measured between the lines at the event date ({esc(band.get('to_line_name') or band.get(S.C_TO_LINE))}): "
            f"<b>{esc(fmt_km2(measured))}</b>{esc(rng)}, "
            f"{esc(f'{ratio:.0%}' if ratio is not None else '')} of the claim: "
            f"<b>{esc(label('verdict', band.get(S.M_VERDICT)))}</b></div>"
        )
    parts.append(settlements_html(band))
    parts.append(f"<div style='color:#555'>Claim id {esc(band.get(S.CLAIM_ID))}</div>")
    parts.append(
        "<div style='color:#555;font-size:11px'>The band shows how deep the figure would reach if the "
        "ground were taken evenly along the whole line.</div></div>"
    )
    return "".join(parts)


def _band_claim_html(band) -> str:
    """One claim of a shared band: who, when, quote, source, measured and verdict, id (escaped)."""
    src = link(band.get(S.SOURCE_URL), band.get(S.SOURCE_TITLE) or band.get(S.SOURCE_PUBLISHER) or "source")
    parts = [
        f"<div><b>{esc(band.get(S.CLAIM_ACTOR))}</b>, event {esc(band.get(S.CLAIM_EVENT_DATE))}: "
        f"{esc(label('qualifier', band.get(S.CLAIM_QUALIFIER)))}</div>",
        f'<blockquote style="margin:2px 0;font-style:italic">“{esc(band.get(S.CLAIM_QUOTE))}”</blockquote>',
        f"<div>Source: {src} — {esc(band.get(S.SOURCE_PUBLISHER))} {esc(band.get(S.SOURCE_PUBLISHED))}</div>",
    ]
    measured = as_number(band.get(S.M_MEASURED_KM2))
    if measured is not None:
        parts.append(
            f"<div>Measured at {esc(band.get('to_line_name') or band.get(S.C_TO_LINE))}: "
            f"{esc(fmt_km2(measured))}: <b>{esc(label('verdict', band.get(S.M_VERDICT)))}</b></div>"
        )
    parts.append(f"<div style='color:#555'>Claim id {esc(band.get(S.CLAIM_ID))}</div>")
    return "".join(parts)


def band_group_popup_html(rows: pd.DataFrame) -> str:
    """Popup of one drawn band shared by several claims (same line, side and figure).

    The band (figure, depth, area, settlements), how many claims give it, the
    first :func:`geo.config.popup_claims` (10) of them, then "… and N more". A band of one
    claim is :func:`implied_popup_html`.
    """
    if len(rows) == 1:
        return implied_popup_html(rows.iloc[0])
    shown = (
        pd.DataFrame(rows.iloc[: config.popup_claims()]).drop(columns="geometry", errors="ignore").to_dict("records")
    )
    band = shown[0]
    width = as_number(band.get(S.I_WIDTH_KM))
    items = "".join(f'<li style="margin-bottom:6px">{_band_claim_html(r)}</li>' for r in shown)
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(IMPLIED_TITLE)}</h4>"
        f"<div>Figure: <b>{esc(fmt_km2(band.get(S.I_CLAIMED_KM2)))}</b> "
        f"({esc(BOUND_WORDS.get(str(band.get(S.I_BOUND)), ''))}); band "
        f"<b>{esc(f'{width:.2f}' if width is not None else '?')} km</b> deep beyond "
        f"{esc(band.get('reference_line_name') or band.get(S.CLAIM_REFERENCE_LINE))}, "
        f"area {esc(fmt_km2(band.get(S.AREA_KM2)))} (geodesic)</div>"
        f"{settlements_html(band)}"
        f"<div><b>{len(rows):,} claims give this figure</b></div><ol style='padding-left:18px'>{items}</ol>"
        f"{more_claims_html(len(rows) - len(shown))}"
        "<div style='color:#555;font-size:11px'>The band shows how deep the figure would reach if the "
        "ground were taken evenly along the whole line.</div></div>"
    )


def zone_popup_html(zone: pd.Series) -> str:
    """Popup of a security-zone band: agreement, weapons, party, width, line, area, settlements."""
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(zone.get(S.Z_AGREEMENT))}</h4>"
        f"<div>{esc(zone.get(S.Z_WEAPON_CLASS))}: {esc(label('party', zone.get(S.Z_PARTY)) or 'each')} side, "
        f"<b>{esc(f'{as_number(zone.get(S.I_WIDTH_KM)) or 0:g}')} km</b> from "
        f"{esc(zone.get('from_line_name') or zone.get(S.C_FROM_LINE))} "
        f"(zone {esc(f'{as_number(zone.get(S.Z_ZONE_WIDTH_KM)) or 0:g}')} km wide)</div>"
        f"<div>Area: {esc(fmt_km2(zone.get(S.AREA_KM2)))} (geodesic, within the region)</div>"
        f"{settlements_html(zone)}</div>"
    )


def claim_choice_label(claim: pd.Series | dict) -> str:
    """'Kiev, 2015-01-20: > 500 km² (Reuters)': how a claim is listed beside the map."""
    figure = claim_figure(claim)
    pub = cell_text(claim.get(S.SOURCE_PUBLISHER))
    text = f"{cell_text(claim.get(S.CLAIM_ACTOR)) or 'unknown actor'}, {cell_text(claim.get(S.CLAIM_EVENT_DATE)) or 'undated'}"
    text += f": {figure}" if figure else f" ({label('stance', claim.get(S.CLAIM_STANCE))})"
    return text + (f" ({pub})" if pub else "")


#: The columns :func:`claim_choice_label` reads.
CHOICE_LABEL_FIELDS = (
    S.CLAIM_ACTOR,
    S.CLAIM_EVENT_DATE,
    S.CLAIM_STANCE,
    S.CLAIM_QUALIFIER,
    S.CLAIM_VALUE_KM2,
    S.CLAIM_VALUE_KM,
    S.SOURCE_PUBLISHER,
)


def claim_choice_labels(claims: pd.DataFrame) -> list[str]:
    """:func:`claim_choice_label` of every row of ``claims``, in order.

    Reads the rows as plain records of the few columns a label needs: a pandas row
    per claim cost more than the labels themselves (4 s for 42,000 claims).
    """
    cols = [c for c in CHOICE_LABEL_FIELDS if c in claims.columns]
    return [claim_choice_label(rec) for rec in claims[cols].to_dict(orient="records")]


def claim_detail_html(claim: pd.Series, areas: pd.DataFrame) -> str:
    """The selected claim beside the map: its text, source and the ground it is about (escaped)."""
    km2 = float(areas[S.AREA_KM2].sum()) if len(areas) else None
    where = ", ".join(f"{n} ({fmt_km2(a)})" for n, a in zip(areas[S.LINE_NAME], areas[S.AREA_KM2]))
    return (
        f"<div class='cl-claim-detail'>{claim_html(claim, km2)}"
        + (f"<div>About: {esc(where)}</div>" if where else "<div>Not joined to an area on this map.</div>")
        + "</div>"
    )


def verdict_display(verdicts: pd.DataFrame, line_names: dict | None = None) -> pd.DataFrame:
    """The claimed-vs-measured table as people read it: labels, line names, km² and % as text.

    Works on whichever of the known columns ``verdicts`` has (from
    :func:`geo.analysis.verdict.verdict_table`); other columns pass through unchanged.
    The claim id stays (it is what a person copies).
    """
    names = line_names or {}
    out = pd.DataFrame(index=verdicts.index)
    for col in verdicts.columns:
        values = verdicts[col]
        if col == S.CLAIM_ID:
            out["claim"] = values
        elif col in ("qualifier", "verdict"):
            out[col] = labels(col, values)
        elif col in ("side", "held_by"):
            out[col.replace("_", " ")] = labels(col, values)
        elif col in ("from_line", "to_line"):
            out[{"from_line": "reference line", "to_line": "line at the event date"}[col]] = [
                names.get(v, v) for v in values.fillna("").astype(str)
            ]
        elif col.endswith("_km2"):
            out[col.removesuffix("_km2").replace("_", " ") + " (km²)"] = values.map(fmt_km2)
        elif col == "ratio":
            out["measured / claimed"] = [f"{v:.0%}" if as_number(v) is not None else "" for v in values]
        elif col == "claim_in_range":
            out["claim within the measured range"] = values.map({True: "yes", False: "no"}).fillna("")
        else:
            out[col.replace("_", " ")] = values
    return out
