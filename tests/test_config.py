"""The TOML settings file: defaults, notices instead of crashes, and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from bouv_tui.config import Config, NeedModel, UiPreferences, load_config, save_config


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_without_notices(path: Path):
    loaded = load_config(path)
    assert loaded.config == Config()
    assert loaded.notices == []
    assert loaded.path == path
    assert not path.exists()  # loading never creates the file


def test_defaults_are_the_documented_values():
    config = Config()
    assert config.ui == UiPreferences("textual-dark", 200, False)
    assert config.keys == {}
    assert config.need_model == NeedModel(3.21, 2.43, -1.89)


def test_valid_file_with_every_section(path: Path):
    write(
        path,
        """
[ui]
theme = "textual-light"
page_size = 500
show_left = true

[keys]
"app.quit" = "ctrl+q"
"roster.new" = " ctrl+n,n "

[need_model]
intercept = 3.0
lacking = 2.5
advanced = -2.0
""",
    )
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config.ui == UiPreferences(theme="textual-light", page_size=500, show_left=True)
    assert loaded.config.keys == {"app.quit": "ctrl+q", "roster.new": "ctrl+n,n"}
    assert loaded.config.need_model == NeedModel(intercept=3.0, lacking=2.5, advanced=-2.0)


def test_partial_file_keeps_defaults_for_what_is_missing(path: Path):
    write(path, "[ui]\nshow_left = true\n")
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config.ui == UiPreferences(show_left=True)
    assert loaded.config.need_model == NeedModel()


@pytest.mark.parametrize(
    "text, line",
    [
        ('[ui]\ntheme = "x"\npage_size = = 3\n', 3),
        ('[ui]\n\n\n\ntheme = "oavslutad\n', 5),
        ('[ui]\ntheme = "a"\n\n[need_model]\nintercept = 1.0\n[ui]\n', 6),
    ],
    ids=["double-equals", "unterminated-string", "section-twice"],
)
def test_broken_toml_gives_defaults_and_names_the_line(path: Path, text: str, line: int):
    write(path, text)
    loaded = load_config(path)
    assert loaded.config == Config()
    assert len(loaded.notices) == 1
    notice = loaded.notices[0]
    assert f"rad {line} " in notice
    assert str(path) in notice
    assert "standardinställningar" in notice


@pytest.mark.parametrize("content", [b"[ui]\ntheme = \"\xff\xfe\"\n", b"\x00\x01\x02"])
def test_unreadable_bytes_give_defaults_and_a_notice(path: Path, content: bytes):
    path.write_bytes(content)
    loaded = load_config(path)
    assert loaded.config == Config()
    assert len(loaded.notices) == 1
    assert "standardinställningar" in loaded.notices[0]


def test_a_folder_in_place_of_the_file_gives_defaults_and_a_notice(path: Path):
    path.mkdir()
    loaded = load_config(path)
    assert loaded.config == Config()
    assert len(loaded.notices) == 1


@pytest.mark.parametrize(
    "section, key, value",
    [
        ("ui", "theme", "5"),
        ("ui", "page_size", '"stor"'),
        ("ui", "page_size", "true"),
        ("ui", "page_size", "250.0"),
        ("ui", "show_left", "1"),
        ("ui", "show_left", '"ja"'),
        ("need_model", "intercept", '"tre"'),
        ("need_model", "lacking", "true"),
        ("need_model", "advanced", "[1.0]"),
    ],
)
def test_wrong_type_gives_that_keys_default_and_a_notice(path: Path, section: str, key: str, value: str):
    others = {"ui": 'theme = "textual-light"\npage_size = 300\nshow_left = true\n',
              "need_model": "intercept = 1.0\nlacking = 2.0\nadvanced = -3.0\n"}  # fmt: skip
    # the key under test replaces its valid line; the other keys stay valid
    body = "\n".join(line for line in others[section].splitlines() if not line.startswith(key))
    write(path, f"[{section}]\n{body}\n{key} = {value}\n")

    loaded = load_config(path)

    assert len(loaded.notices) == 1
    assert f"{section}.{key}" in loaded.notices[0]
    assert "fel typ" in loaded.notices[0]
    got = getattr(loaded.config, section)
    default = type(got)()
    assert getattr(got, key) == getattr(default, key)
    # the other keys of the section are still read
    changed = [name for name in ("theme", "page_size", "show_left", "intercept", "lacking", "advanced")
               if hasattr(got, name) and name != key]  # fmt: skip
    assert all(getattr(got, name) != getattr(default, name) for name in changed)


def test_integers_are_accepted_for_coefficients(path: Path):
    write(path, "[need_model]\nintercept = 3\nlacking = 2\nadvanced = -2\n")
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config.need_model == NeedModel(3.0, 2.0, -2.0)
    assert isinstance(loaded.config.need_model.intercept, float)


@pytest.mark.parametrize("size", [0, 19, 5001, -200])
def test_page_size_out_of_range_gives_200_and_a_notice(path: Path, size: int):
    write(path, f"[ui]\npage_size = {size}\nshow_left = true\n")
    loaded = load_config(path)
    assert loaded.config.ui.page_size == 200
    assert loaded.config.ui.show_left is True
    assert len(loaded.notices) == 1
    assert "ui.page_size" in loaded.notices[0] and "20–5000" in loaded.notices[0]


@pytest.mark.parametrize("size", [20, 5000])
def test_page_size_limits_are_accepted(path: Path, size: int):
    write(path, f"[ui]\npage_size = {size}\n")
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config.ui.page_size == size


def test_section_that_is_not_a_table_gives_defaults_and_a_notice(path: Path):
    write(path, 'ui = "mörk"\nkeys = 3\n\n[need_model]\nintercept = 1.5\n')
    loaded = load_config(path)
    assert loaded.config.ui == UiPreferences()
    assert loaded.config.keys == {}
    assert loaded.config.need_model.intercept == 1.5
    assert any("[ui]" in n and "tabell" in n for n in loaded.notices)
    assert any("[keys]" in n and "tabell" in n for n in loaded.notices)
    assert len(loaded.notices) == 2


def test_bad_key_bindings_are_skipped_with_a_notice(path: Path):
    write(path, '[keys]\n"app.quit" = "ctrl+q"\n"roster.new" = 5\n"roster.delete" = "   "\n')
    loaded = load_config(path)
    assert loaded.config.keys == {"app.quit": "ctrl+q"}
    assert len(loaded.notices) == 2
    assert any("keys.roster.new" in n for n in loaded.notices)
    assert any("keys.roster.delete" in n for n in loaded.notices)


def test_unknown_sections_and_keys_are_noticed_and_skipped(path: Path):
    write(path, '[ui]\ntheme = "nord"\n"färg" = "blå"\n\n[extra]\nx = 1\n\n[need_model]\nslope = 1.0\n')
    loaded = load_config(path)
    assert loaded.config.ui.theme == "nord"
    assert loaded.config.need_model == NeedModel()
    assert len(loaded.notices) == 3
    assert any("okänd sektion [extra]" in n for n in loaded.notices)
    assert any("okänd inställning ui.färg" in n for n in loaded.notices)
    assert any("okänd inställning need_model.slope" in n for n in loaded.notices)


def test_save_then_load_round_trips(tmp_path: Path):
    path = tmp_path / "ny" / "mapp" / "config.toml"
    config = Config(
        ui=UiPreferences(theme="gruvbox", page_size=1000, show_left=True),
        keys={"app.quit": "ctrl+q", "roster.new": "ctrl+n,n", "hjälp": "f1"},
        need_model=NeedModel(intercept=3.5, lacking=2.25, advanced=-1.0),
    )
    save_config(config, path)
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config == config
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary file left


def test_save_replaces_the_previous_file(path: Path):
    write(path, "this is [ broken\n")
    save_config(Config(), path)
    loaded = load_config(path)
    assert loaded.notices == []
    assert loaded.config == Config()


def test_roller_adds_job_titles_to_the_built_in_ones(path: Path):
    write(path, '[roller]\n"Socialsekreterare mottagning" = "handläggare"\nenhetschef = "annan"\n')
    loaded = load_config(path)
    assert loaded.notices == []
    titles = loaded.config.job_titles()
    assert titles["Socialsekreterare mottagning"] == "handlaggare"
    assert titles["enhetschef"] == "annan"  # the file's word wins over the built-in one
    assert titles["utredare"] == "handlaggare" and titles["1:e socialsekreterare"] == "arbetsledare"


def test_a_title_that_is_not_a_role_is_a_notice_naming_key_and_line(path: Path):
    write(path, '[ui]\nshow_left = true\n\n[roller]\n"Utredare" = "handläggare"\n"Kurator" = "chef"\nbarn = 3\n')
    loaded = load_config(path)
    assert loaded.notices == [
        'config.toml på rad 6: roller."Kurator" = "chef" är ingen roll; skriv "handläggare", "arbetsledare" '
        'eller "annan". Titeln hoppas över.',
        'config.toml på rad 7: roller."barn" = 3 är ingen roll; skriv "handläggare", "arbetsledare" '
        'eller "annan". Titeln hoppas över.',
    ]
    assert loaded.config.roles == {"Utredare": "handläggare"} and loaded.config.ui.show_left is True


def test_roller_that_is_not_a_table_is_a_notice(path: Path):
    write(path, 'roller = "utredare"\n')
    loaded = load_config(path)
    assert loaded.notices == ['config.toml: [roller] ska vara en tabell som "Socialsekreterare" = "handläggare"; hoppas över.']
    assert loaded.config.roles == {}


def test_roller_survive_a_save(path: Path):
    write(path, '[roller]\n"Kurator" = "annan"\n')
    config = load_config(path).config
    save_config(config, path)
    again = load_config(path)
    assert again.notices == [] and again.config.roles == {"Kurator": "annan"}
    assert again.config == config


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[need_model]\nintercept = "tre"\n', "standardvärdet 3,21 används."),
        ('[ui]\npage_size = "stor"\n', "standardvärdet 200 används."),
        ("[ui]\ntheme = 5\n", 'standardvärdet "textual-dark" används.'),
    ],
)
def test_a_wrong_type_names_the_default_as_a_person_writes_it(path: Path, text: str, said: str):
    write(path, text)
    (notice,) = load_config(path).notices
    assert notice.endswith(said), notice
