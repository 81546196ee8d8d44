"""A page of another site cannot change a store served with --allow-update (headless Chromium)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.unit.test_server import fetch, running

pytestmark = [pytest.mark.browser, pytest.mark.server]


@contextmanager
def other_site(html: str):
    """A second local server (another origin) whose one page is ``html``."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def count(server) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    body = fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}))[2]
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_a_form_or_script_on_another_site_cannot_drop_the_store(page):
    with running(allow_update=True) as server:
        before = count(server)
        assert before > 0
        endpoint = server.url + "sparql"
        attack = f"""<!DOCTYPE html><html><body>
<form id="f" method="POST" action="{endpoint}"><input name="update" value="DROP ALL"></form>
<script>
fetch("{endpoint}", {{method: "POST", body: "DROP ALL", headers: {{"Content-Type": "application/sparql-update"}}}})
  .catch(() => null)
  .then(() => fetch("{endpoint}", {{method: "POST", mode: "no-cors", body: "update=CLEAR%20ALL",
                                    headers: {{"Content-Type": "application/x-www-form-urlencoded"}}}}))
  .catch(() => null)
  .then(() => document.getElementById("f").submit());
</script></body></html>"""
        with other_site(attack) as url:
            with page.expect_navigation(url=endpoint, timeout=15000):
                page.goto(url)
            assert "another site" in page.content()
        assert count(server) == before
