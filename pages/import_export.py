"""Import / export page: bring GIS files in (all or nothing), take layers out in any format."""

from __future__ import annotations

import hashlib
import json

import streamlit as st
from streamlit_folium import st_folium

from geo import io as gio
from geo import io as imp
from geo import schema as S
from geo.html import md_escape
from geo.maps import current_view, feature_labels, field_guesses, preview_map, preview_table, select_features
from pages import _identity, _state
from pages import _theatre_claims as TC

RESULT_KEY = "ie_result"
SIG_KEY = "ie_result_sig"
SAVED_KEY = "ie_saved"
MAX_UPLOAD_MB = imp.DEFAULT_MAX_BYTES // imp.MB
TARGET_LABELS = {
    imp.AS_LINE: "a reference line (LineStrings)",
    imp.AS_CLAIM_GEOMETRY: "claim geometry (Polygons)",
    imp.AS_CLAIMS: "claims (rows with quote, actor, date, source…)",
}
SCOPES = ("whole layer", "selected features", "current map view")

st.title("Import / export")
theatre = TC.theatre()
read_only = TC.read_only()
TC.caption()
tab_in, tab_out = st.tabs(["Import", "Export"])

# ---- import -------------------------------------------------------------------
with tab_in:
    st.caption(
        "GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile or CSV (WKT or lon/lat columns), up to "
        f"{MAX_UPLOAD_MB} MB. Projected data with a known CRS is reprojected to WGS84; invalid "
        "geometries are repaired and the repair reported. An import is all or nothing."
    )
    upload = st.file_uploader(
        "File",
        type=["geojson", "json", "gpkg", "kml", "kmz", "zip", "csv"],
        key="ie_upload",
        max_upload_size=MAX_UPLOAD_MB,
    )
    c1, c2 = st.columns(2)
    # the line registry is the analysis layers' (the default theatre's); another theatre's lines
    # are added on the Theatres page
    targets = [t for t in imp.IMPORT_TARGETS if TC.has_layers() or t != imp.AS_LINE]
    as_ = c1.radio("Import as", targets, format_func=TARGET_LABELS.get, key="ie_as", horizontal=True)
    if not TC.has_layers():
        c1.caption("Reference lines of this theatre are added on the Theatres page.")
    crs = c2.text_input(
        "CRS of coordinates if the file declares none",
        key="ie_crs",
        placeholder="EPSG:4326",
        help="e.g. EPSG:32637 for UTM 37N; leave empty for WGS84 lon/lat.",
    )

    result = None
    if upload is None:
        st.session_state.pop(RESULT_KEY, None)
        st.session_state.pop(SIG_KEY, None)
    else:
        data = upload.getvalue()
        sig = hashlib.sha256(data).hexdigest()[:16] + f"|{upload.name}|{as_}|{crs.strip()}"
        if st.session_state.get(SIG_KEY) != sig:
            st.session_state.pop(RESULT_KEY, None)
            st.session_state.pop(SAVED_KEY, None)
            bar = st.progress(0.0, text=f"Reading {upload.name}…")
            try:
                st.session_state[RESULT_KEY] = imp.read_vector(
                    data,
                    upload.name,
                    as_=as_,
                    crs=crs.strip() or None,
                    progress=lambda f: bar.progress(f, text=f"Reading {upload.name}… {f:.0%}"),
                )
            except Exception as exc:  # noqa: BLE001 - the importer's one-line reason
                _state.show_error(exc)
            finally:
                bar.empty()
            st.session_state[SIG_KEY] = sig
        result = st.session_state.get(RESULT_KEY)

    if result is not None:
        sig8 = st.session_state[SIG_KEY][:8]
        st.text(result.summary())
        for w in result.warnings:
            st.text(f"⚠ {w}")
        notes = result.note_lines()
        if notes:
            with st.expander(f"Per-feature notes ({len(notes)})", expanded=len(notes) <= 10):
                st.text("\n".join(notes[:500]) + ("\n…" if len(notes) > 500 else ""))

        st.markdown("**Map the fields**")
        fields = [""] + list(result.fields)
        guesses = field_guesses(result)
        cols = st.columns(len(guesses))
        mapping = {}
        for col, (name, guess) in zip(cols, guesses.items()):
            mapping[name] = (
                col.selectbox(
                    name,
                    fields,
                    index=fields.index(guess) if guess in fields else 0,
                    key=f"ie_map_{name}_{sig8}",
                    format_func=lambda f: f or "(none)",
                )
                or None
            )

        labels = [result.label(i) for i in range(len(result.gdf))]
        left, right = st.columns([1, 1])
        with left:
            st_folium(
                preview_map(result.gdf, labels),
                key="ie_preview_map",
                height=360,
                use_container_width=True,
                returned_objects=[],
            )
        with right:
            st.dataframe(preview_table(result), hide_index=True, width="stretch", key="ie_preview_table")

        if read_only and result.as_ == imp.AS_CLAIMS:
            st.info(md_escape(TC.read_only_reason()))
        if st.button("Save import", key="ie_save", type="primary", disabled=read_only):
            try:
                target = _state.store() if result.as_ == imp.AS_CLAIMS else None
                st.session_state[SAVED_KEY] = (
                    result.as_,
                    imp.save_import(result, mapping, target, user=_identity.user(), theatre=theatre.id),
                )
            except Exception as exc:  # noqa: BLE001 - nothing was stored
                _state.show_error(exc)

        saved = st.session_state.get(SAVED_KEY)
        if saved:
            kind, ids = saved
            if kind == imp.AS_LINE:
                st.success(f"Saved {len(ids)} line(s): {md_escape(', '.join(ids))}")
            elif kind == imp.AS_CLAIMS:
                st.success(f"Saved {len(ids)} claim(s): {md_escape(', '.join(ids))}")
            else:
                st.info("Claim geometries are not stored on their own: paste a WKT below into a claim.")
                st.text_area("WKT", "\n".join(ids), key="ie_wkt", height=120)

# ---- export -------------------------------------------------------------------
with tab_out:
    layers = TC.export_layers()
    names = list(layers)
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    # the map page's view is a view of the analysis layers
    scope = c1.radio("Export", SCOPES if TC.has_layers() else SCOPES[:2], key="ie_scope", horizontal=False)
    first = names.index("contested") if "contested" in names else 0
    layer = c2.selectbox("Layer", names, index=first, key="ie_layer")
    fmt = c3.selectbox("Format", list(gio.EXPORT_FORMATS), key="ie_format")
    precision = c4.number_input("Decimals", min_value=0, max_value=15, value=6, step=1, key="ie_precision")

    try:
        if scope == "current map view":
            shown = st.session_state.get("map_to_lines")
            st.caption(
                "The map page's view: contested areas against "
                + (md_escape(", ".join(shown)) if shown else "every later line" if shown is None else "no line")
                + ", and the lines involved."
            )
            gdf, name = current_view(layers, shown), "current_view"
        else:
            gdf, name = layers[layer], layer
            if scope == "selected features":
                picked = st.multiselect("Features", feature_labels(gdf), key="ie_features")
                gdf, name = select_features(gdf, picked), f"{layer}_selection"
        st.caption(f"{len(gdf)} feature(s); every feature carries its sources, dates and geodesic area.")
        if len(gdf):
            data, mime, file_name = gio.export_bytes(gdf, fmt, int(precision), name=name)
            st.download_button(
                f"Download {md_escape(file_name)}",
                data,
                file_name=file_name,
                mime=mime,
                key="ie_download",
                type="primary",
                on_click="ignore",
            )
            if fmt == "csv":
                meta = gio.export_metadata(gdf, int(precision))
                st.download_button(
                    "Download metadata (hash, version)",
                    json.dumps(meta, indent=2),
                    file_name=f"{name}.csv.meta.json",
                    mime="application/json",
                    key="ie_download_meta",
                    on_click="ignore",
                )
        else:
            st.info("Nothing to export: pick at least one feature.")
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _state.show_error(exc)

    st.caption(f"Coordinates in {S.CRS}, RFC 7946 for GeoJSON.")
