"""The grant file (``exchange/grant_file.py``, issue 15): the 2013 template reads and writes
back the same, and a wrong file is refused with a message naming the key and the line."""

from __future__ import annotations

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
    with pytest.raises(g.GrantFileError, match=r"^saknas.toml kunde inte läsas: "):
        g.read_grant(tmp_path / "saknas.toml")
