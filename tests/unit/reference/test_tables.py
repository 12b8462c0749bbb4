import pytest

from geo.errors import DataFileError
from geo.reference.tables import read_table


def test_read_table_keeps_empty_cells_as_strings(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,\n")
    df = read_table(p, ["a", "b"])
    assert df.loc[0, "a"] == "1" and df.loc[0, "b"] == ""


def test_read_table_names_file_and_missing_column(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a\n1\n")
    with pytest.raises(DataFileError, match=r"t.csv: missing columns \['b'\]"):
        read_table(p, ["a", "b"])
    with pytest.raises(DataFileError, match="not found"):
        read_table(tmp_path / "nope.csv", ["a"])
