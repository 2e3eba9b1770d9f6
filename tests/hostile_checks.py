"""What the importers' hostile-input tests assert besides "no crash" (issue 13): a refused
file writes nothing to the database, every message names the file, row or column, and a
file that is accepted is read as the same rows as a clean file with the same content."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

from bouv_tui.exchange.tables import ImportFileError, Table, read_table

_LETTER = re.compile(r"[A-Z]{1,3}")


def stored_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the database, in a fixed order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def file_error_names_the_file(error: ImportFileError, path: Path) -> None:
    assert f'"{path.name}"' in str(error), str(error)


def errors_name_row_and_column(errors, table: Table, columns) -> None:
    """Each error names its row; one below the heading row also names a column of the file's
    kind, or a column letter (a column without a heading), or none only for a whole-row error."""
    for error in errors:
        assert isinstance(error.row, int) and error.row >= 1
        assert str(error).startswith(f"Rad {error.row}")
        if error.row != table.header_row:
            assert error.column in columns or _LETTER.fullmatch(error.column) or error.column == "", error
            if error.column:
                assert f'kolumn "{error.column}"' in str(error)


def write_clean_csv(table: Table, path: Path) -> Path:
    """The table's cells as a plain UTF-8 CSV file (every cell quoted, comma-separated), each
    row on the record number it had, so that row numbers in messages are the same."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        number = 1
        for at, cells in [(table.header_row, table.headers), *((r.number, r.cells) for r in table.rows)]:
            while number < at:
                writer.writerow([])
                number += 1
            writer.writerow(cells)
            number += 1
    return path


def read_as_clean(table: Table, path: Path, reader=read_table) -> Table | None:
    """The table read back from a clean CSV copy of it, or None when the cells cannot be
    written as CSV text (an XLSX reader's mark for a cell without a value holds a NUL)."""
    if any("\x00" in cell for cells in [table.headers, *(r.cells for r in table.rows)] for cell in cells):
        return None
    return reader(write_clean_csv(table, path))


def same_rows(read: Table, clean: Table) -> None:
    assert (clean.headers, clean.rows, clean.header_row) == (read.headers, read.rows, read.header_row)
