"""Parsed CSS kept between starts: the same screen from cached rules, and a bad file is harmless."""

from __future__ import annotations

import stat

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from bouv_tui.config import Config, LoadedConfig
from bouv_tui.services import Workspace
from bouv_tui.tui.app import BouvApp
from bouv_tui.tui.css_cache import ParsedCss, cache_file

from conftest import TODAY, settle


def build(db, cache, start="roster"):
    loaded = LoadedConfig(Config(), [], db.parent / "config.toml")
    return BouvApp(db, loaded_config=loaded, demo=True, today=lambda: TODAY, workspace=Workspace.open(db),
                   start=start, css_cache=cache)  # fmt: skip


async def screenshot(app) -> str:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        picture = app.export_screenshot()
    app.parsed_css.save()
    return picture


@pytest.mark.parametrize("start", ["roster", "start", "needs"])
async def test_a_second_start_takes_the_parsed_rules_and_draws_the_same_screen(demo_db, tmp_path, start):
    cache = cache_file(tmp_path / "cache")
    first = build(demo_db, cache, start)
    drawn_first = await screenshot(first)
    assert first.parsed_css.misses > 0 and cache.exists()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600

    second = build(demo_db, cache, start)
    drawn_second = await screenshot(second)
    assert second.parsed_css.misses == 0
    assert second.parsed_css.hits >= first.parsed_css.misses
    assert drawn_second == drawn_first


async def test_a_broken_cache_file_is_ignored_and_written_anew(demo_db, tmp_path):
    cache = cache_file(tmp_path / "cache")
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"inte en cache")
    app = build(demo_db, cache)
    await screenshot(app)
    assert app.parsed_css.misses > 0
    assert ParsedCss(cache).entries  # readable again


def test_css_with_errors_is_not_kept_and_still_reported(tmp_path):
    cache = ParsedCss(tmp_path / "css.pickle")
    sheet = Stylesheet(variables={"primary": "red"})
    cache.install(sheet)
    sheet.add_source("Static { color: $primary; }", read_from=("test", "ok"))
    sheet.add_source("Static { colour: nonsense; }", read_from=("test", "bad"))
    with pytest.raises(StylesheetParseError):
        sheet.parse()
    assert len(cache.entries) == 1


def test_another_theme_is_parsed_anew_and_replaces_the_old_rules(tmp_path):
    cache = ParsedCss(tmp_path / "css.pickle")
    for colour in ("red", "blue"):
        sheet = Stylesheet(variables={"primary": colour})
        cache.install(sheet)
        sheet.add_source("Static { color: $primary; }", read_from=("test", "ok"))
        sheet.parse()
        assert sheet.rules[0].styles.color == Color.parse(colour)
        assert cache.misses == (1 if colour == "red" else 2)
    assert len(cache.entries) == 1 and cache.variables == {"primary": "blue"}
    cache.save()
    again = ParsedCss(tmp_path / "css.pickle")
    sheet = Stylesheet(variables={"primary": "blue"})
    again.install(sheet)
    sheet.add_source("Static { color: $primary; }", read_from=("test", "ok"))
    sheet.parse()
    assert again.hits == 1 and again.misses == 0
    assert sheet.rules[0].styles.color == Color.parse("blue")
