"""Writes personal_hr.xlsx from personal_hr.csv, as an HR system's Excel export would look:
the same headings and values, FTE as a share in a number cell, dates as date cells; and
utbildningar.xlsx from utbildningar.csv, with dates as date cells and seats, costs and days
as number cells.

    python sample_data/make_xlsx.py
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def main() -> None:
    with (HERE / "personal_hr.csv").open(encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personal"
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for heading, value in zip(rows[0], row):
            if "datum" in heading.lower() and value:
                cells.append(date.fromisoformat(value))
            elif heading == "Tjänstgöringsgrad" and value:
                cells.append(float(value.replace(",", ".")))
            else:
                cells.append(value or None)
        sheet.append(cells)
    for cell in sheet["E"][1:] + sheet["G"][1:]:
        cell.number_format = "yyyy-mm-dd"
    workbook.properties.creator = "bouv-tui"
    fixed = datetime(2025, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed  # the same bytes every run
    workbook.save(HERE / "personal_hr.xlsx")
    trainings()


def trainings() -> None:
    with (HERE / "utbildningar.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Utbildningar"
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for heading, value in zip(rows[0], row):
            if heading in ("start", "slut"):
                cells.append(date.fromisoformat(value))
            elif heading in ("platser", "kostnad_fast", "kostnad_per_deltagare") and value:
                cells.append(int(value.replace(" ", "")))
            elif heading == "franvarodagar_per_deltagare" and value:
                cells.append(float(value.replace(",", ".")))
            else:
                cells.append(value or None)
        sheet.append(cells)
    for column in ("I", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    workbook.properties.creator = "bouv-tui"
    fixed = datetime(2025, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    workbook.save(HERE / "utbildningar.xlsx")


if __name__ == "__main__":
    main()
