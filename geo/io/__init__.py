r"""Files in and out: importing user GIS files, exporting layers, the analyst's drawn and imported lines.

The formats are listed once, in :mod:`geo.io.formats`; one reader module per
family reads them (:mod:`geo.io.read_gis`, :mod:`geo.io.read_kml`,
:mod:`geo.io.read_csv`), :mod:`geo.io.validate` and :mod:`geo.io.repair`
check what they found, :mod:`geo.io.save` stores it; :mod:`geo.io.export`
writes layers through :mod:`geo.io.normalise` and :mod:`geo.io.write`.
The line files themselves are stored by :mod:`geo.reference.user_lines`.

Examples
--------
>>> from geo import io
>>> io.EXPORT_FORMATS
('geojson', 'gpkg', 'csv', 'kml')
>>> io.read_vector(b"lon,lat\n37.5,48.0\n", "p.csv", as_=io.AS_CLAIMS).summary()
'p.csv: 1 features (1 Point) read as csv'
"""

from geo.io.common import (
    AS_CLAIM_GEOMETRY,
    AS_CLAIMS,
    AS_LINE,
    IMPORT_TARGETS,
    MAP_FIELDS,
    MB,
    ImportResult,
)
from geo.io.export import (
    export_bytes,
    export_layer,
    sidecar_path,
    to_geojson_dict,
    write_geojson,
)
from geo.io.formats import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_BYTES,
    EXPORT_FORMATS,
    FORMATS,
    Format,
    Limits,
    check_export_format,
    detect,
    format_from_path,
    supported_text,
)
from geo.io.normalise import (
    AREA_METHOD,
    AREA_METHOD_TEXT,
    META_APP_VERSION,
    META_CONTENT_HASH,
    content_hash,
    crosses_antimeridian,
    cut_antimeridian,
    export_metadata,
    normalise_geometry,
    rfc7946_geometry,
)
from geo.io.read_kml import parse_xml_safely
from geo.io.reader import read_vector
from geo.io.save import MAX_LINE_NAME, claim_records, save_import
from geo.io.write import (
    CSV_LINE_END,
    CSV_TRIGGERS,
    GPKG_SOURCES_TABLE,
    csv_safe_cell,
    csv_safe_frame,
    csv_unsafe_cell,
    sources_table,
    xml_text,
)
from geo.reference.user_lines import (
    load_user_lines,
    read_user_tables,
    user_lines_paths,
    write_user_tables,
)

__all__ = [
    "AREA_METHOD",
    "AREA_METHOD_TEXT",
    "AS_CLAIMS",
    "AS_CLAIM_GEOMETRY",
    "AS_LINE",
    "CSV_LINE_END",
    "CSV_TRIGGERS",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "EXPORT_FORMATS",
    "FORMATS",
    "GPKG_SOURCES_TABLE",
    "IMPORT_TARGETS",
    "MAP_FIELDS",
    "MAX_LINE_NAME",
    "MB",
    "META_APP_VERSION",
    "META_CONTENT_HASH",
    "Format",
    "ImportResult",
    "Limits",
    "check_export_format",
    "claim_records",
    "content_hash",
    "crosses_antimeridian",
    "csv_safe_cell",
    "csv_safe_frame",
    "csv_unsafe_cell",
    "cut_antimeridian",
    "detect",
    "export_bytes",
    "export_layer",
    "export_metadata",
    "format_from_path",
    "load_user_lines",
    "normalise_geometry",
    "parse_xml_safely",
    "read_user_tables",
    "read_vector",
    "rfc7946_geometry",
    "save_import",
    "sidecar_path",
    "sources_table",
    "supported_text",
    "to_geojson_dict",
    "user_lines_paths",
    "write_geojson",
    "write_user_tables",
    "xml_text",
]
