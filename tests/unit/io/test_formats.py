"""The one table of formats (geo.io.formats): detection, generated texts, readers and writers."""

from __future__ import annotations

import argparse
import zipfile
from io import BytesIO

import pytest

from geo.commands import export_cmd
from geo.errors import DataFileError, UnsupportedFormatError
from geo.io import (
    DEFAULT_LIMITS,
    EXPORT_FORMATS,
    FORMATS,
    Limits,
    check_export_format,
    detect,
    format_from_path,
    read_vector,
    supported_text,
)
from geo.io.formats import MAGIC, by_magic

ZIP = b"PK\x03\x04" + b"\x00" * 40
SQLITE = b"SQLite format 3\x00" + b"\x00" * 40
TEXT = b'{"type": "FeatureCollection", "features": []}'
CONTENT = {"zip": ZIP, "sqlite": SQLITE, None: TEXT}


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_is_detected_by_each_of_its_suffixes(name):
    fmt = FORMATS[name]
    for suffix in fmt.suffixes:
        assert detect(CONTENT[fmt.container], f"file{suffix}") == name
        assert detect(CONTENT[fmt.container], f"FILE{suffix.upper()}") == name


@pytest.mark.parametrize("name", list(FORMATS))
def test_content_that_is_not_the_formats_container_is_refused(name):
    fmt = FORMATS[name]
    for container, data in CONTENT.items():
        if container == fmt.container:
            continue
        with pytest.raises(DataFileError, match=f"file{fmt.extension}"):
            detect(data, f"file{fmt.extension}")


def test_magic_bytes_name_the_container():
    assert by_magic(ZIP) == "zip"
    assert by_magic(b"PK\x05\x06") == "zip"  # an empty archive
    assert by_magic(SQLITE) == "sqlite"
    assert by_magic(TEXT) is None
    assert by_magic(b"") is None
    assert {f.container for f in FORMATS.values()} <= {None, *MAGIC}


def test_a_real_zip_is_a_zip_and_a_renamed_geojson_is_not():
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("doc.kml", "<kml/>")
    assert by_magic(buf.getvalue()) == "zip"
    assert detect(buf.getvalue(), "a.kmz") == "kmz"
    with pytest.raises(DataFileError, match="binary content"):
        detect(buf.getvalue(), "a.geojson")


def test_the_unsupported_type_error_lists_every_format():
    with pytest.raises(UnsupportedFormatError) as exc:
        detect(TEXT, "a.docx")
    message = str(exc.value)
    assert "'.docx'" in message
    for fmt in FORMATS.values():
        assert fmt.label in message
    assert supported_text() in message


def test_a_bare_shp_gets_its_own_explanation():
    with pytest.raises(UnsupportedFormatError, match="upload them together as one .zip"):
        detect(b"\x00\x00\x27\x0a", "a.shp")


def test_every_format_has_a_reader_mime_and_description():
    for name, fmt in FORMATS.items():
        assert fmt.name == name
        assert callable(fmt.reader)
        assert fmt.mime and "/" in fmt.mime
        assert fmt.description and "\n" not in fmt.description
        assert fmt.suffixes and all(s.startswith(".") and s == s.lower() for s in fmt.suffixes)


def test_suffixes_belong_to_one_format_only():
    seen = [s for fmt in FORMATS.values() for s in fmt.suffixes]
    assert len(seen) == len(set(seen))


def test_export_formats_are_the_ones_with_a_writer():
    assert EXPORT_FORMATS == ("geojson", "gpkg", "csv", "kml")
    for name in EXPORT_FORMATS:
        assert callable(FORMATS[name].writer)
        assert FORMATS[name].extension in FORMATS[name].write_suffixes
        assert format_from_path(f"x{FORMATS[name].extension}") == name
    assert all(FORMATS[n].writer is None for n in FORMATS if n not in EXPORT_FORMATS)


def test_export_format_errors_are_generated_from_the_table():
    with pytest.raises(UnsupportedFormatError) as exc:
        check_export_format("shapefile")
    assert all(name in str(exc.value) for name in EXPORT_FORMATS)
    with pytest.raises(UnsupportedFormatError) as exc:
        format_from_path("x.shp")
    assert all(s in str(exc.value) for n in EXPORT_FORMATS for s in FORMATS[n].write_suffixes)
    assert check_export_format("JSON") == "geojson"


def test_cli_format_choices_come_from_the_table():
    parser = argparse.ArgumentParser()
    export_cmd.add_arguments(parser)
    action = next(a for a in parser._actions if "--format" in a.option_strings)
    assert tuple(action.choices) == EXPORT_FORMATS


def test_limits_are_one_dataclass_with_the_documented_defaults():
    assert DEFAULT_LIMITS == Limits()
    assert DEFAULT_LIMITS.max_bytes == 50 * 1024 * 1024
    assert DEFAULT_LIMITS.max_uncompressed == 4 * DEFAULT_LIMITS.max_bytes
    assert (DEFAULT_LIMITS.max_features, DEFAULT_LIMITS.max_feature_vertices) == (100_000, 200_000)


def test_custom_limits_reach_the_readers():
    data = b'{"type": "MultiPoint", "coordinates": [[37, 48], [37.1, 48], [37.2, 48]]}'
    assert len(read_vector(data, "a.geojson", as_="claims").gdf) == 1
    with pytest.raises(Exception, match="2 vertices"):
        read_vector(data, "a.geojson", as_="claims", limits=Limits(max_feature_vertices=2))
    with pytest.raises(DataFileError, match="limit"):
        read_vector(data, "a.geojson", as_="claims", limits=Limits(max_bytes=10))


def test_the_package_re_exports_its_public_api():
    import geo.io

    missing = [name for name in geo.io.__all__ if not hasattr(geo.io, name)]
    assert not missing
    assert geo.io.Limits is Limits and geo.io.FORMATS is FORMATS
