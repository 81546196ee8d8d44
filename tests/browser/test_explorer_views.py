"""The explorer's Timeline, Map and Matrix views in headless Chromium: marks, clicks, brushing,
the shared selection, escaping, offline."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, XSD, Literal

from kg.errors import KGError
from kg.export.html import show, to_html, write_html
from kg.namespaces import DOC, ENT, EVT, GEO, KG
from tests.browser.test_explorer import HOSTILE_LABEL, HOSTILE_SENTENCE, hostile_sample, open_page
from tests.unit.test_graph import DOCUMENTS, EVENTS, build_dataset

pytestmark = pytest.mark.browser

GOLDSTEIN = {"e1": 1.0, "e2": 3.4, "e4": -10.0, "e5": -6.4, "e6": -9.5}
KYIV_SENTENCE = "The Kremlin did not threaten Kyiv during the week."


def located_dataset(entities=None, events=None, place_label="Kyiv"):
    """The graph test sample plus Goldstein scores and one event placed in Kyiv (as kg.rdf writes it)."""
    ds = build_dataset(entities, events, DOCUMENTS)
    g = ds.graph(DOC["d1"])
    kyiv = ENT["kyiv"]
    for triple in [
        (kyiv, RDF.type, KG.Entity), (kyiv, RDF.type, KG.GeopoliticalEntity), (kyiv, RDFS.label, Literal(place_label)),
        (kyiv, KG.country, ENT["ukraine"]), (kyiv, KG.countryCode, Literal("UKR")),
        (kyiv, GEO.lat, Literal("50.45466", datatype=XSD.decimal)),
        (kyiv, GEO.long, Literal("30.5238", datatype=XSD.decimal)),
        (EVT["e5"], KG.location, kyiv),
    ]:
        g.add(triple)
    for event, score in GOLDSTEIN.items():
        ds.graph(DOC["d2" if event == "e6" else "d1"]).add((EVT[event], KG.goldstein, Literal(str(score), datatype=XSD.decimal)))
    return ds


@pytest.fixture(scope="module")
def views_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "views.html"
    write_html(located_dataset(), path, title="Sample events")
    return path


def switch(page, view):
    page.click(f"#kg-views button[data-view='{view}']")
    page.wait_for_selector(f"#kg-{view}[data-rendered]")


def panel_text(page):
    page.locator("#kg-panel").wait_for(state="visible")
    return page.text_content("#kg-panel")


def country_count(page, iso):
    return int(page.get_attribute(f".kg-country[data-iso='{iso}']", "data-count"))


def assert_clean(page):
    assert page.errors == []
    assert page.requests == []
    assert page.dialogs == []


@pytest.mark.parametrize("view", ["timeline", "map", "matrix"])
def test_each_view_appears_on_its_button_and_graph_comes_back(page, views_page, view):
    open_page(page, views_page)
    assert page.locator(".kg-view:visible").count() == 0
    switch(page, view)
    assert page.get_attribute(f"#kg-views button[data-view='{view}']", "aria-pressed") == "true"
    assert page.locator(".kg-view:visible").count() == 1 and page.is_visible(f"#kg-{view} svg")
    assert not page.is_visible("#kg-legend")  # the graph's legend belongs to the graph
    page.click("#kg-views button[data-view='graph']")
    assert page.locator(".kg-view:visible").count() == 0 and page.is_visible("#kg-legend")
    assert_clean(page)


def test_timeline_stacks_bars_by_quad_class_with_a_goldstein_line(page, views_page):
    open_page(page, views_page)
    switch(page, "timeline")
    # months 2022-02 .. 2024-11; bars: 2022-02 material conflict, 2024-09 verbal cooperation,
    # 2024-11 verbal cooperation (2), verbal conflict, material conflict; e7 is undated
    bars = page.evaluate("[...document.querySelectorAll('.kg-bar')].map(b => [b.dataset.bin, b.dataset.quad])")
    assert sorted(bars) == sorted([["0", "4"], ["31", "1"], ["33", "1"], ["33", "3"], ["33", "4"]])
    assert page.locator(".kg-gs").count() == 2  # months with a Goldstein score
    assert "counted by month" in page.text_content("#kg-timeline") and "1 undated" in page.text_content("#kg-timeline")
    assert_clean(page)


def test_a_timeline_over_decades_counts_by_year(page, tmp_path):
    events = EVENTS + [("e9", "d2", "russia", "attack", "ukraine",
                        dict(date="1990-05-01", cameo="190", evidence="An old clash."))]
    path = tmp_path / "decades.html"
    write_html(located_dataset(events=events), path)
    open_page(page, path)
    switch(page, "timeline")
    assert "counted by year" in page.text_content("#kg-timeline")
    assert page.evaluate("Math.max(...[...document.querySelectorAll('.kg-bar')].map(b => +b.dataset.bin))") == 34
    page.click(".kg-bar[data-bin='0']")
    assert page.text_content("#kg-panel h2") == "1990 · Material conflict" and "An old clash." in panel_text(page)
    assert_clean(page)


def test_clicking_a_timeline_bar_lists_its_events_with_evidence(page, views_page):
    open_page(page, views_page)
    switch(page, "timeline")
    page.click(".kg-bar[data-bin='33'][data-quad='1']")
    text = panel_text(page)
    assert "2024-11 · Verbal cooperation" in text and "2 events" in text
    assert "The two leaders spoke by telephone late on Thursday evening." in text
    assert "Trump advised Putin to show restraint, the newspaper said." in text
    assert "Drones from Ukraine" not in text
    assert_clean(page)


def brush(page, first, last):
    """Drag across the timeline from the middle of one bar to the middle of another."""
    a, b = page.locator(first).bounding_box(), page.locator(last).bounding_box()
    y = a["y"] + a["height"] / 2
    page.mouse.move(a["x"] + a["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, y, steps=5)
    page.mouse.up()


def test_brushing_the_timeline_filters_every_view(page, views_page):
    open_page(page, views_page)
    switch(page, "map")
    assert (country_count(page, "RUS"), country_count(page, "UKR")) == (6, 4)
    switch(page, "matrix")
    assert page.locator(".kg-cell").count() == 6
    switch(page, "timeline")
    brush(page, ".kg-bar[data-bin='31']", ".kg-bar[data-bin='33'][data-quad='4']")
    assert page.input_value("#kg-from") == "2024-09-01" and page.input_value("#kg-to") == "2024-11-30"
    assert "5 of 7 events" in page.text_content("#kg-status")  # the graph view is filtered too
    assert "counted by day" in page.text_content("#kg-timeline")  # a shorter span, finer bins
    switch(page, "map")
    assert (country_count(page, "RUS"), country_count(page, "UKR")) == (4, 3)  # e6 (2022) and undated e7 left
    switch(page, "matrix")
    assert page.locator(".kg-cell").count() == 4
    page.click("#kg-reset")
    assert page.locator(".kg-cell").count() == 6
    assert_clean(page)


def test_map_shades_countries_draws_places_and_arrows(page, views_page):
    open_page(page, views_page)
    switch(page, "map")
    assert page.locator(".kg-country").count() > 150
    fills = page.evaluate("Object.fromEntries([...document.querySelectorAll('.kg-country')].map(c => [c.dataset.iso, c.getAttribute('fill')]))")
    assert fills["RUS"] != "#eeeeee" and fills["UKR"] != "#eeeeee" and fills["USA"] != "#eeeeee"
    assert fills["FRA"] == "#eeeeee"
    assert page.locator(".kg-point").count() == 1
    page.dispatch_event(".kg-country[data-iso='RUS']", "mouseenter")
    pairs = page.evaluate("[...document.querySelectorAll('#kg-arrows path')].map(p => p.dataset.pair)")
    assert sorted(pairs) == ["RUS>UKR", "UKR>RUS", "USA>RUS"]
    page.dispatch_event(".kg-country[data-iso='RUS']", "mouseleave")
    assert page.locator("#kg-arrows path").count() == 0
    assert_clean(page)


def test_clicking_a_country_or_a_place_lists_its_events(page, views_page):
    open_page(page, views_page)
    switch(page, "map")
    page.dispatch_event(".kg-country[data-iso='UKR']", "click")
    text = panel_text(page)
    assert "4 events" in text and "Russian forces crossed the border in February 2022." in text
    assert "spoke by telephone" not in text
    page.click(".kg-point")
    text = panel_text(page)
    assert page.text_content("#kg-panel h2") == "Kyiv" and "1 event" in text and KYIV_SENTENCE in text
    assert_clean(page)


def test_matrix_cells_are_sized_and_coloured_and_list_their_events(page, views_page):
    open_page(page, views_page)
    switch(page, "matrix")
    rows = page.evaluate("[...document.querySelectorAll('.kg-row')].map(t => t.textContent)")
    assert rows[:2] == ["Ukraine", "Donald Trump"]  # most events first
    cells = page.evaluate(
        "[...document.querySelectorAll('.kg-cell')].map(c => [document.querySelectorAll('.kg-row')[c.dataset.row].textContent,"
        " document.querySelectorAll('.kg-col')[c.dataset.col].textContent, +c.dataset.count, c.getAttribute('fill'), +c.getAttribute('width')])"
    )
    by_pair = {(a, b): (n, fill, width) for a, b, n, fill, width in cells}
    assert by_pair[("Donald Trump", "Vladimir Putin")][0] == 2
    assert by_pair[("North Korean troops", "Russia")][1] == "#9e9e9e"  # no Goldstein score
    red, blue = by_pair[("Ukraine", "Russia")][1], by_pair[("Donald Trump", "Vladimir Putin")][1]
    assert red.startswith("rgb(214") and blue != red  # -10 is full conflict red
    assert by_pair[("Donald Trump", "Vladimir Putin")][2] > by_pair[("Ukraine", "Russia")][2]  # two events, bigger
    page.click(".kg-cell[data-count='2']")
    text = panel_text(page)
    assert page.text_content("#kg-panel h2") == "Donald Trump → Vladimir Putin" and "2 events" in text
    assert "Trump advised Putin to show restraint, the newspaper said." in text
    assert_clean(page)


def test_the_event_and_type_filters_apply_to_every_view(page, views_page):
    open_page(page, views_page)
    switch(page, "matrix")
    page.select_option("#kg-cameo", "19")
    assert page.locator(".kg-cell").count() == 2  # Ukraine -> Russia (190), Russia -> Ukraine (192)
    switch(page, "timeline")
    assert page.evaluate("[...document.querySelectorAll('.kg-bar')].map(b => b.dataset.quad)") == ["4", "4"]
    page.click("#kg-reset")
    page.uncheck("#kg-types input[value='Person']")
    switch(page, "map")
    assert country_count(page, "USA") == 0 and country_count(page, "RUS") == 3  # e4, e6, e7 remain
    assert_clean(page)


def test_the_selected_entity_is_shared_by_the_views(page, views_page):
    open_page(page, views_page)
    page.fill("#kg-search", "putin")
    page.press("#kg-search", "Enter")
    switch(page, "map")
    assert country_count(page, "RUS") == 3 and "only events of Vladimir Putin" in page.text_content("#kg-map")
    switch(page, "matrix")
    assert page.locator(".kg-cell").count() == 2  # Trump -> Putin and Putin -> Ukraine
    page.click("#kg-matrix .kg-chip button")
    assert page.locator(".kg-cell").count() == 6
    # a matrix label selects its entity for every view
    page.click(".kg-row:text('North Korean troops')")
    assert page.locator(".kg-cell").count() == 1
    assert page.text_content("#kg-panel h2") == "North Korean troops"
    assert_clean(page)


def test_a_page_opens_on_the_view_asked_for(page, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(to_html(located_dataset(), view="map"), encoding="utf-8")
    open_page(page, path)
    page.wait_for_selector("#kg-map[data-rendered]")
    assert page.is_visible("#kg-map svg") and page.locator(".kg-view:visible").count() == 1
    assert_clean(page)


def test_show_passes_the_view_and_rejects_an_unknown_one():
    assert "&quot;view&quot;:&quot;matrix&quot;" in show(located_dataset(), view="matrix").data
    with pytest.raises(KGError, match="unknown view 'globe'"):
        to_html(located_dataset(), view="globe")


def test_hostile_names_and_sentences_stay_text_in_every_view(page, tmp_path):
    entities, events = hostile_sample()
    path = tmp_path / "hostile.html"
    write_html(located_dataset(entities, events, place_label=HOSTILE_LABEL), path, title=HOSTILE_LABEL)
    open_page(page, path)
    switch(page, "timeline")
    page.click(".kg-bar[data-bin='33'][data-quad='3']")
    assert HOSTILE_SENTENCE in panel_text(page)
    switch(page, "map")
    page.click(".kg-point")
    assert page.text_content("#kg-panel h2") == HOSTILE_LABEL and HOSTILE_SENTENCE in panel_text(page)
    switch(page, "matrix")
    assert HOSTILE_LABEL in page.evaluate("[...document.querySelectorAll('.kg-row')].map(t => t.textContent)")
    page.click(f".kg-row:text('{HOSTILE_LABEL}')")
    assert "only events of " + HOSTILE_LABEL in page.text_content("#kg-matrix")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img, b, #kg-panel script, .kg-view script').length") == 0
    assert_clean(page)


@pytest.mark.server
def test_the_server_explorer_has_the_views(page):
    from tests.unit.test_server import running

    with running() as server:
        page.goto(server.url + "explorer")
        page.wait_for_selector("#mynetwork canvas")
        for view, mark in (("timeline", ".kg-bar"), ("map", ".kg-country"), ("matrix", ".kg-cell")):
            page.click(f"#kg-views button[data-view='{view}']")
            page.wait_for_selector(f"#kg-{view}[data-rendered]")
            assert page.locator(mark).count() > 0, view
        assert page.errors == []
        assert all(url.startswith(server.url) for url in page.requests)


@pytest.mark.slow
def test_ten_thousand_entities_every_view_draws_and_the_page_stays_small(page, tmp_path):
    from benchmarks.bench_views import synthetic_graph

    path = tmp_path / "big.html"
    write_html(synthetic_graph(10_000, 30_000), path)
    size = path.stat().st_size
    assert size < 15_000_000
    open_page(page, path)
    for view, mark in (("timeline", ".kg-bar"), ("map", ".kg-point"), ("matrix", ".kg-cell")):
        switch(page, view)
        assert page.locator(mark).count() > 0, view
    assert page.locator(".kg-country[data-count='0']").count() < 20  # events everywhere
    # figures only (benchmarks/bench_views.py measures the time to draw each view)
    print(f"10,000 entities / 30,000 events: page {size / 1e6:.1f} MB")
    assert_clean(page)
