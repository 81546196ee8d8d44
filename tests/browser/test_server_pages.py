"""The endpoint's query page in headless Chromium: load a named query, run it, read the table."""

from __future__ import annotations

import pytest

from tests.unit.test_server import running

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server():
    with running() as server:
        yield server


def test_named_query_runs_and_fills_the_table(page, server):
    page.goto(server.url)
    page.click('button[data-query="who-did-what"]')
    assert "?actor ?relation ?target" in page.input_value("#kg-query")
    page.click("#kg-run")
    page.wait_for_selector("#kg-results tbody tr")
    headers = page.locator("#kg-results th").all_text_contents()
    assert headers[:3] == ["actor", "relation", "target"]
    rows = page.locator("#kg-results tbody tr")
    assert rows.count() == 3  # the coded events; the uncoded warning is a fact, not an event
    first = rows.nth(0).locator("td").all_text_contents()
    assert first[:3] == ["Betan forces", "attack", "Gamma City"]  # earliest date first
    assert "3 rows" in page.text_content("#kg-status")
    assert page.errors == []
    assert page.requests and all(url.startswith(server.url) for url in page.requests)


def test_errors_and_markup_are_shown_as_text(page, server):
    page.goto(server.url)
    page.fill("#kg-query", 'SELECT ?x WHERE { BIND("<b id=injected>bold</b>" AS ?x) }')
    page.click("#kg-run")
    page.wait_for_selector("#kg-results tbody tr")
    assert page.text_content("#kg-results td") == "<b id=injected>bold</b>"
    assert page.locator("#injected").count() == 0
    page.fill("#kg-query", "SELECT ?x WHERE {")
    page.click("#kg-run")
    # the pages forbid eval (CSP), so waits use selectors rather than wait_for_function
    page.wait_for_selector("#kg-status:has-text('Error')")
    assert page.text_content("#kg-status").startswith("Error 400: error at 1:")
    assert page.errors == []


def test_explorer_renders_from_the_server(page, server):
    page.goto(server.url + "explorer?focus=Anna%20Alpha&hops=1")
    page.wait_for_selector("#mynetwork canvas")
    assert page.evaluate("window.kgExplorer.nodes.length") == 2  # Anna Alpha and Betastan, one event away
    assert page.errors == []
    assert all(url.startswith(server.url) for url in page.requests)
