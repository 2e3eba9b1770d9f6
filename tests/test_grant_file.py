"""The grant file (``exchange/grant_file.py``, issue 15): the 2013 template reads and writes
back the same, and a wrong file is refused with a message naming the key and the line."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.exchange import grant_file as g

TEMPLATE = g.template_2013().read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "bidrag.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(g.GrantFileError) as caught:
        g.read_grant(write(tmp_path, text))
    return str(caught.value)


def test_the_2013_template_is_the_grant_of_the_inventory():
    source = g.read_grant(g.template_2013())
    assert (source.name, source.kind, source.year) == ("Kompetensutveckling social barn- och ungdomsvård", b.GRANT, 2013)
    assert (source.requisitioned, source.paid_out, source.paid_back) == (33_226_408, 33_226_408, 0)
    assert (source.use_from, source.use_until, source.report_by) == (date(2013, 5, 16), date(2013, 12, 31),
                                                                      date(2014, 4, 30))  # fmt: skip
    assert source.unspent == b.PAID_BACK and len(source.cost_types) == 6
    (cap,) = source.caps
    assert (cap.share, cap.action, cap.cost_types) == (0.5, b.WARN, ("stod_handledning", "vikarier", "kurslitteratur",
                                                                   "resor", "administration"))  # fmt: skip


def test_a_written_grant_file_reads_back_the_same(tmp_path):
    source = g.read_grant(g.template_2013())
    again = g.read_grant(write(tmp_path, g.grant_toml(source)))
    assert again == source
    bare = b.FundingSource("Egna medel", b.OWN_FUNDS, 2026, paid_out=100_000, unspent=b.MAY_BE_SAVED)
    assert g.read_grant(write(tmp_path, g.grant_toml(bare), "egna.toml")) == bare


def test_defaults_of_a_short_file(tmp_path):
    source = g.read_grant(write(tmp_path, 'namn = "X"\ntyp = "egna_medel"\nar = 2026\nutbetalt = 5\n'))
    assert (source.requisitioned, source.paid_back, source.unspent, source.caps) == (0, 0, b.PAID_BACK, ())
    assert source.cost_types == tuple(b.catalog.COST_TYPES.codes()) and source.use_from is None


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('ar = 2013', 'ar = 1999', "bidrag.toml, rad 5, ar: ska vara ett årtal från 2000 till 2100."),
        ('ar = 2013', 'ar = 2101', "bidrag.toml, rad 5, ar: ska vara ett årtal från 2000 till 2100."),
        ('ar = 2013', 'ar = "2013"', "bidrag.toml, rad 5, ar: ska vara ett årtal från 2000 till 2100."),
        ('typ = "statsbidrag"', 'typ = "bidrag"',
         "bidrag.toml, rad 4, typ: ska vara statsbidrag, egna_medel, annat, inte 'bidrag'."),
        ('utbetalt = 33226408', 'utbetalt = 33226408.5',
         "bidrag.toml, rad 7, utbetalt: ska vara ett belopp i hela kronor, utan öre och utan citattecken (t.ex. 33226408)."),
        ('utbetalt = 33226408', 'utbetalt = -1', "bidrag.toml, rad 7, utbetalt: ska vara 0 eller mer, och rimligt stort."),
        ('anvands_fran = 2013-05-16', 'anvands_fran = "2013-05-16"',
         "bidrag.toml, rad 9, anvands_fran: ska vara ett datum utan citattecken, t.ex. 2013-05-16."),
        ('anvands_till = 2013-12-31', 'anvands_till = 2013-05-15', "bidrag.toml, rad 10, anvands_till: är före anvands_fran."),
        ('ej_forbrukat = "aterbetalas"', 'ej_forbrukat = "sparas"',
         "bidrag.toml, rad 12, ej_forbrukat: ska vara aterbetalas eller far_sparas."),
        ('namn = "Kompetensutveckling social barn- och ungdomsvård"', 'namn = " "',
         "bidrag.toml, rad 3, namn: ska vara en text, inte tom."),
        ('andel = 0.5', 'andel = 1.5', "bidrag.toml, rad 17, [[tak]] nr 1, andel: ska vara en andel större än 0 och högst 1, t.ex. 0.5."),
        ('andel = 0.5', 'andel = 0', "bidrag.toml, rad 17, [[tak]] nr 1, andel: ska vara en andel större än 0 och högst 1, t.ex. 0.5."),
        ('atgard = "varna"', 'atgard = "stopp"', "bidrag.toml, rad 18, [[tak]] nr 1, atgard: ska vara varna eller stoppa."),
        ('ar = 2013', 'ar = 2013\nbelopp = 5', "bidrag.toml, rad 6, belopp: okänd nyckel. Giltiga nycklar: namn, typ, ar, "
         "rekvirerat, utbetalt, aterbetalt, anvands_fran, anvands_till, redovisas_senast, ej_forbrukat, kostnadstyper, tak."),
    ],
)
def test_a_wrong_value_is_refused_naming_the_key_and_the_line(tmp_path, old, new, message):
    assert old in TEMPLATE
    assert refused(tmp_path, TEMPLATE.replace(old, new, 1)) == message


def test_the_limits_are_accepted_at_the_limit(tmp_path):
    for old, new in (("ar = 2013", "ar = 2000"), ("ar = 2013", "ar = 2100"), ("andel = 0.5", "andel = 1"),
                     ("utbetalt = 33226408", "utbetalt = 0"), ("anvands_till = 2013-12-31", "anvands_till = 2013-05-16")):  # fmt: skip
        g.read_grant(write(tmp_path, TEMPLATE.replace(old, new, 1)))


def test_cost_types_must_be_known_unique_and_the_caps_the_grants_own(tmp_path):
    text = TEMPLATE.replace('"utbildningsplatser", "stod_handledning"', '"utbildningsplatser", "konsulter"', 1)
    assert refused(tmp_path, text) == ("bidrag.toml, rad 13, kostnadstyper: okänd kostnadstyp 'konsulter'. Giltiga: "
                                       "utbildningsplatser, stod_handledning, vikarier, kurslitteratur, resor, administration.")  # fmt: skip
    text = TEMPLATE.replace('"utbildningsplatser", "stod_handledning"', '"resor", "stod_handledning"', 1)
    assert refused(tmp_path, text) == "bidrag.toml, rad 13, kostnadstyper: samma kostnadstyp står två gånger."
    narrow = TEMPLATE.replace('kostnadstyper = ["utbildningsplatser", "stod_handledning", "vikarier", "kurslitteratur", '
                              '"resor", "administration"]', 'kostnadstyper = ["utbildningsplatser", "stod_handledning"]')  # fmt: skip
    assert refused(tmp_path, narrow) == ("bidrag.toml, rad 19, [[tak]] nr 1, kostnadstyper: vikarier är inte en av "
                                         "bidragets kostnadstyper.")  # fmt: skip
    assert refused(tmp_path, TEMPLATE.replace('kostnadstyper = ["utbildningsplatser"', 'kostnadstyper = [1, "utbildningsplatser"', 1)) == (
        'bidrag.toml, rad 13, kostnadstyper: ska vara en lista med kostnadstyper, t.ex. ["utbildningsplatser", "resor"].'
    )


def test_a_missing_key_and_a_cap_without_its_share_are_said(tmp_path):
    assert refused(tmp_path, TEMPLATE.replace("utbetalt = 33226408\n", "", 1)) == "bidrag.toml: nyckeln utbetalt saknas."
    assert refused(tmp_path, TEMPLATE.replace("andel = 0.5\n", "", 1)) == "bidrag.toml, [[tak]] nr 1: nyckeln andel saknas."
    assert refused(tmp_path, TEMPLATE + '\n[[tak]]\nnamn = "B"\nandel = 0.2\nkostnadstyper = ["resor"]\nextra = 1\n') == (
        "bidrag.toml, rad 25, [[tak]] nr 2, extra: okänd nyckel i [[tak]]. Giltiga nycklar: namn, andel, atgard, kostnadstyper."
    )


def test_hostile_files_are_refused_whole(tmp_path):
    assert refused(tmp_path, "namn = \n") .startswith("bidrag.toml, rad 1: filen är inte giltig TOML (")
    assert refused(tmp_path, "") == "bidrag.toml: nyckeln namn saknas."
    latin = tmp_path / "latin.toml"
    latin.write_bytes('namn = "Bidrag"\ntyp = "statsbidrag"\n# förändring\n'.encode("cp1252"))
    with pytest.raises(g.GrantFileError, match=r"^latin.toml, rad 3: filen är inte UTF-8\."):
        g.read_grant(latin)
    huge = tmp_path / "stor.toml"
    huge.write_bytes(b"# " + b"x" * g.MAX_BYTES)
    with pytest.raises(g.GrantFileError, match=r"^stor.toml är för stor för en bidragsfil \(100002 byte; högst 100000\)\.$"):
        g.read_grant(huge)
    at_limit = tmp_path / "lagom.toml"
    body = 'namn = "X"\ntyp = "egna_medel"\nar = 2026\nutbetalt = 5\n'
    at_limit.write_text(body + "#" * (g.MAX_BYTES - len(body.encode()) - 1) + "\n", encoding="utf-8")
    assert len(at_limit.read_bytes()) == g.MAX_BYTES and g.read_grant(at_limit).name == "X"


SHORT = 'namn = "X"\ntyp = "egna_medel"\nar = 2026\nutbetalt = 5\n'
GRANT_TYPES = ('kostnadstyper = ["utbildningsplatser", "stod_handledning", "vikarier", "kurslitteratur", "resor", '
               '"administration"]')
CAP_TYPES = 'kostnadstyper = ["stod_handledning", "vikarier", "kurslitteratur", "resor", "administration"]'


def test_what_the_file_system_says_is_said_in_swedish(tmp_path, monkeypatch):
    def message(path: Path) -> str:
        with pytest.raises(g.GrantFileError) as caught:
            g.read_grant(path)
        return str(caught.value)

    assert message(tmp_path / "saknas.toml") == "saknas.toml finns inte."
    (tmp_path / "mapp.toml").mkdir()
    assert message(tmp_path / "mapp.toml") == "mapp.toml är en mapp, inte en fil."
    os.symlink(tmp_path / "slinga.toml", tmp_path / "slinga.toml")  # a link to itself: ELOOP, a plain OSError
    assert message(tmp_path / "slinga.toml") == "slinga.toml kunde inte läsas."
    locked = write(tmp_path, SHORT, "last.toml")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # as root, chmod 000 does not stop the read
    assert message(locked) == "last.toml kunde inte läsas: behörighet saknas."


def test_a_toml_error_without_a_line_is_said_without_one(tmp_path):
    assert refused(tmp_path, 'namn = "X') .startswith("bidrag.toml: filen är inte giltig TOML (")
    assert refused(tmp_path, "namn = \n").startswith("bidrag.toml, rad 1: filen är inte giltig TOML (")


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SHORT.encode())
    assert g.read_grant(path).name == "X"


def test_the_line_is_found_on_the_first_line_without_caps_and_for_quoted_and_dotted_keys(tmp_path):
    assert refused(tmp_path, SHORT.replace('namn = "X"', 'namn = " "')) == "bidrag.toml, rad 1, namn: ska vara en text, inte tom."
    assert refused(tmp_path, SHORT.replace("ar = 2026", '"ar" = 1999')) == (
        "bidrag.toml, rad 3, ar: ska vara ett årtal från 2000 till 2100.")  # fmt: skip
    assert refused(tmp_path, SHORT.replace("ar = 2026", "'ar' = 2101")) == (
        "bidrag.toml, rad 3, ar: ska vara ett årtal från 2000 till 2100.")  # fmt: skip
    assert refused(tmp_path, SHORT.replace('namn = "X"', 'namn.kort = "X"')) == (
        "bidrag.toml, rad 1, namn: ska vara en text, inte tom.")  # fmt: skip


def test_a_key_whose_line_is_not_found_is_named_without_a_line_never_with_another_keys(tmp_path):
    """``[namn]`` as a table: no line starts with the key, and the cap's ``namn`` is not it."""
    text = TEMPLATE.replace('namn = "Kompetensutveckling social barn- och ungdomsvård"\n', "", 1)
    text = text.replace("\n[[tak]]", '\n[namn]\nkort = "K"\n\n[[tak]]', 1)
    assert refused(tmp_path, text) == "bidrag.toml, namn: ska vara en text, inte tom."
    two = SHORT + f'\n[[tak]]\nnamn = "A"\n{CAP_TYPES}\n[tak.andel]\nx = 1\n\n[[tak]]\nnamn = "B"\nandel = 0.2\n{CAP_TYPES}\n'
    assert refused(tmp_path, two) == ("bidrag.toml, [[tak]] nr 1, andel: ska vara en andel större än 0 och högst 1, "
                                      "t.ex. 0.5.")  # fmt: skip


def three_caps(first: str = 'namn = "A"', second: str = 'namn = "B"', third: str = 'namn = "C"') -> str:
    """Three caps with no blank line between them, each cap's ``namn`` on the line before the next header."""
    return (SHORT + f"[[tak]]\nandel = 0.1\n{CAP_TYPES}\n{first}\n[[tak]]\n{second}\nandel = 0.2\n{CAP_TYPES}\n"
            f'[[tak]]\nandel = 0.3\n{CAP_TYPES}\n{third}\n')  # fmt: skip


def test_each_caps_key_is_found_in_its_own_cap(tmp_path):
    source = g.read_grant(write(tmp_path, three_caps()))
    assert [(c.name, c.share, c.action) for c in source.caps] == [("A", 0.1, b.WARN), ("B", 0.2, b.WARN), ("C", 0.3, b.WARN)]
    assert refused(tmp_path, three_caps(first='namn = ""')) == "bidrag.toml, rad 8, [[tak]] nr 1, namn: ska vara en text, inte tom."
    assert refused(tmp_path, three_caps(second='namn = " "')) == (
        "bidrag.toml, rad 10, [[tak]] nr 2, namn: ska vara en text, inte tom.")  # fmt: skip
    assert refused(tmp_path, three_caps(second="namn = 5")) == (
        "bidrag.toml, rad 10, [[tak]] nr 2, namn: ska vara en text, inte tom.")  # fmt: skip
    assert refused(tmp_path, three_caps(third='namn = "\t"')) == (
        "bidrag.toml, rad 16, [[tak]] nr 3, namn: ska vara en text, inte tom.")  # fmt: skip
    assert refused(tmp_path, three_caps(second='namn = "B"\natgard = "varna"\nandel = 1.01').replace("andel = 0.2\n", "")) == (
        "bidrag.toml, rad 12, [[tak]] nr 2, andel: ska vara en andel större än 0 och högst 1, t.ex. 0.5.")  # fmt: skip


def test_caps_written_inline_are_read_and_their_errors_found_at_the_line_of_tak(tmp_path):
    inline = SHORT + 'tak = [{namn = "A", andel = 0.4, atgard = "stoppa", kostnadstyper = ["resor"]}]\n'
    assert g.read_grant(write(tmp_path, inline)).caps == (b.Cap("A", 0.4, ("resor",), b.STOP),)
    assert refused(tmp_path, inline.replace("0.4", "2")) == (
        "bidrag.toml, rad 5, [[tak]] nr 1, andel: ska vara en andel större än 0 och högst 1, t.ex. 0.5.")  # fmt: skip
    assert refused(tmp_path, SHORT + "tak = 5\n") == "bidrag.toml, rad 5, tak: ska skrivas som tabeller [[tak]]."
    assert refused(tmp_path, SHORT + "tak = [1]\n") == "bidrag.toml, rad 5, tak: ska skrivas som tabeller [[tak]]."
    assert refused(tmp_path, SHORT + 'tak = [{namn = "A", andel = 0.5, kostnadstyper = ["resor"]}, 2]\n') == (
        "bidrag.toml, rad 5, tak: ska skrivas som tabeller [[tak]].")  # fmt: skip


def test_the_names_are_at_most_max_name_characters(tmp_path):
    at_limit = "Å" * g.MAX_NAME
    text = TEMPLATE.replace("Kompetensutveckling social barn- och ungdomsvård", f"  {at_limit} ", 1)
    text = text.replace("Stöd och handledning samt kringkostnader", f" {at_limit}  ", 1)
    source = g.read_grant(write(tmp_path, text))
    assert (source.name, source.caps[0].name) == (at_limit, at_limit)
    too_long = TEMPLATE.replace("Kompetensutveckling social barn- och ungdomsvård", at_limit + "x", 1)
    assert refused(tmp_path, too_long) == "bidrag.toml, rad 3, namn: för långt (högst 200 tecken)."
    too_long = TEMPLATE.replace("Stöd och handledning samt kringkostnader", at_limit + "x", 1)
    assert refused(tmp_path, too_long) == "bidrag.toml, rad 16, [[tak]] nr 1, namn: för långt (högst 200 tecken)."


@pytest.mark.parametrize("key", ["rekvirerat", "utbetalt", "aterbetalt"])
def test_an_amount_is_at_most_max_kronor(tmp_path, key):
    line = {"rekvirerat": 6, "utbetalt": 7, "aterbetalt": 8}[key]
    old = f"{key} = " + ("0" if key == "aterbetalt" else "33226408")
    assert old in TEMPLATE
    source = g.read_grant(write(tmp_path, TEMPLATE.replace(old, f"{key} = {g.MAX_KRONOR}", 1)))
    assert (source.requisitioned, source.paid_out, source.paid_back)[line - 6] == g.MAX_KRONOR == 100_000_000_000
    assert refused(tmp_path, TEMPLATE.replace(old, f"{key} = {g.MAX_KRONOR + 1}", 1)) == (
        f"bidrag.toml, rad {line}, {key}: ska vara 0 eller mer, och rimligt stort.")  # fmt: skip
    assert refused(tmp_path, TEMPLATE.replace(old, f"{key} = -1", 1)) == (
        f"bidrag.toml, rad {line}, {key}: ska vara 0 eller mer, och rimligt stort.")  # fmt: skip


@pytest.mark.parametrize("share, accepted", [(1, True), (1.0, True), (0.000001, True), (0, False), (0.0, False),
                                             (-0.5, False), (1.000001, False), ('"0.5"', False), ("true", False)])  # fmt: skip
def test_a_share_is_above_0_and_at_most_1(tmp_path, share, accepted):
    text = TEMPLATE.replace("andel = 0.5", f"andel = {share}", 1)
    if accepted:
        assert g.read_grant(write(tmp_path, text)).caps[0].share == float(share)
    else:
        assert refused(tmp_path, text) == (
            "bidrag.toml, rad 17, [[tak]] nr 1, andel: ska vara en andel större än 0 och högst 1, t.ex. 0.5.")  # fmt: skip


def test_a_caps_action_is_warn_unless_it_says_stop(tmp_path):
    without = TEMPLATE.replace('atgard = "varna"\n', "", 1)
    assert g.read_grant(write(tmp_path, without)).caps[0].action == b.WARN
    stop = g.read_grant(write(tmp_path, TEMPLATE.replace('atgard = "varna"', 'atgard = "stoppa"', 1)))
    assert stop.caps[0].action == b.STOP
    assert g.read_grant(write(tmp_path, g.grant_toml(stop), "igen.toml")) == stop


def test_an_empty_list_of_cost_types_is_refused_for_the_grant_and_for_a_cap(tmp_path):
    listed = 'ska vara en lista med kostnadstyper, t.ex. ["utbildningsplatser", "resor"].'
    grant = TEMPLATE.replace('kostnadstyper = ["utbildningsplatser"', 'kostnadstyper = [] #', 1)
    assert refused(tmp_path, grant) == f"bidrag.toml, rad 13, kostnadstyper: {listed}"
    one = TEMPLATE.replace(GRANT_TYPES, 'kostnadstyper = "resor"', 1)
    assert GRANT_TYPES in TEMPLATE and refused(tmp_path, one) == f"bidrag.toml, rad 13, kostnadstyper: {listed}"
    cap = TEMPLATE.replace(CAP_TYPES, "kostnadstyper = []", 1)
    assert CAP_TYPES in TEMPLATE and refused(tmp_path, cap) == f"bidrag.toml, rad 19, [[tak]] nr 1, kostnadstyper: {listed}"
    cap = TEMPLATE.replace(CAP_TYPES, 'kostnadstyper = ["resor", "bilar"]', 1)
    assert refused(tmp_path, cap) == ("bidrag.toml, rad 19, [[tak]] nr 1, kostnadstyper: okänd kostnadstyp 'bilar'. Giltiga: "
                                      "utbildningsplatser, stod_handledning, vikarier, kurslitteratur, resor, administration.")  # fmt: skip
    cap = TEMPLATE.replace(CAP_TYPES, 'kostnadstyper = ["resor", "resor"]', 1)
    assert refused(tmp_path, cap) == "bidrag.toml, rad 19, [[tak]] nr 1, kostnadstyper: samma kostnadstyp står två gånger."


def test_the_written_grant_file_is_the_template_in_tomli_ws_layout():
    source = g.read_grant(g.template_2013())
    assert g.grant_toml(source) == (
        'namn = "Kompetensutveckling social barn- och ungdomsvård"\ntyp = "statsbidrag"\nar = 2013\n'
        "rekvirerat = 33226408\nutbetalt = 33226408\naterbetalt = 0\nanvands_fran = 2013-05-16\n"
        'anvands_till = 2013-12-31\nredovisas_senast = 2014-04-30\nej_forbrukat = "aterbetalas"\n'
        'kostnadstyper = [\n    "utbildningsplatser",\n    "stod_handledning",\n    "vikarier",\n'
        '    "kurslitteratur",\n    "resor",\n    "administration",\n]\n\n'
        '[[tak]]\nnamn = "Stöd och handledning samt kringkostnader"\nandel = 0.5\natgard = "varna"\n'
        'kostnadstyper = [\n    "stod_handledning",\n    "vikarier",\n    "kurslitteratur",\n    "resor",\n'
        '    "administration",\n]\n'
    )
    bare = replace(source, use_from=None, report_by=None, caps=(), cost_types=("resor",), unspent=b.MAY_BE_SAVED)
    assert g.grant_toml(bare) == (
        'namn = "Kompetensutveckling social barn- och ungdomsvård"\ntyp = "statsbidrag"\nar = 2013\n'
        "rekvirerat = 33226408\nutbetalt = 33226408\naterbetalt = 0\nanvands_till = 2013-12-31\n"
        'ej_forbrukat = "far_sparas"\nkostnadstyper = [\n    "resor",\n]\n'
    )
