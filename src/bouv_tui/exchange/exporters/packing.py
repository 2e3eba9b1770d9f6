"""Zip files that are the same bytes for the same content, and an openpyxl workbook's entries
ready to be packed so.

Kept apart from ``common`` (the submission's texts and rules) so that an export that only
packs a file (the plan's workbook) does not import the submission's domain.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime

#: Zip entries get this timestamp, so that two exports of the same data are the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(entries: Iterable[tuple[str, bytes]], *, level: int | None = None) -> bytes:
    """A zip of ``entries`` (name, data) in the given order, every entry with the same fixed
    timestamp and permissions: the same entries give the same bytes. ``level``: zlib's
    compression level (1 fastest … 9 smallest; ``None`` its default, 6)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # each entry says how it is packed
        for name, data in entries:
            # ZIP_TIME is also ZipInfo's own default; said here because the bytes depend on it.
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)  # pragma: no mutate
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)  # a ZipInfo does not take the archive's
    return buffer.getvalue()


def workbook_entries(workbook, stamp: datetime) -> dict[str, bytes]:
    """The saved openpyxl ``workbook``'s zip entries (name: data, in openpyxl's order), with
    ``stamp`` as the time docProps/core.xml says it was changed (openpyxl stamps the save's
    time there)."""
    from openpyxl.xml.functions import tostring

    raw = io.BytesIO()
    workbook.save(raw)
    workbook.properties.modified = stamp
    core = tostring(workbook.properties.to_tree())
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as archive:
        return {
            info.filename: core if info.filename == "docProps/core.xml" else archive.read(info.filename)
            for info in archive.infolist()
        }
