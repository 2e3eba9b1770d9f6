"""What a Textual screenshot (SVG) shows, cell by cell: the character, its style, its background.

Two screenshots can differ as text and show the same thing: Rich writes one ``<rect>`` per
run of segments, so one widget and four widgets drawing the same line give different SVG
with the same cells. ``visible_cells`` is what a person sees (a space has no colour of its
own), which is what the differential tests compare.
"""
import html
import re

#: A cell's width and a line's height in Rich's SVG export.
CW, LH = 12.2, 24.4


STYLE = re.compile(r"\.terminal-\d+-(r\d+) \{([^}]*)\}")
RECT = re.compile(r'<rect fill="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="24.65"')
TEXT = re.compile(r'<text class="terminal-\d+-(r\d+)" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"[^>]*>(.*?)</text>', re.S)


def grid(svg: str) -> dict:
    """Per (row, column): the cell's ``bg`` (fill), ``ch`` (character) and ``st`` (text style rule)."""
    styles = {name: rule.strip() for name, rule in STYLE.findall(svg)}
    cells: dict = {}
    for fill, x, y, width in RECT.findall(svg):
        row, first = round((float(y) - 1.5) / LH), round(float(x) / CW)
        for column in range(first, first + round(float(width) / CW)):
            cells.setdefault((row, column), {})["bg"] = fill
    for name, x, y, text in TEXT.findall(svg):
        row, first = round((float(y) - 20) / LH), round(float(x) / CW)
        for offset, character in enumerate(html.unescape(text)):
            cells.setdefault((row, first + offset), {}).update(ch=character, st=styles.get(name))
    return cells


def visible_cells(svg: str) -> dict:
    """Per (row, column): (background, character, style), a space without a style."""
    shown = {}
    for key, cell in grid(svg).items():
        character = cell.get("ch", " ").replace("\xa0", " ")
        shown[key] = (cell.get("bg"), character, None if character == " " else cell.get("st"))
    return shown
