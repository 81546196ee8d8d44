"""Shared pieces of the fuzz suite: one loaded Extractor and hostile input classes."""

from __future__ import annotations

import pytest
import pyvis  # noqa: F401  importing it raises the recursion limit: do it before Hypothesis records the limit
from hypothesis import strategies as st

# Surrogates cannot be encoded as UTF-8, so no file or JSON Lines record can carry them.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
CONTROL = st.text(st.characters(max_codepoint=0x9F, blacklist_categories=("Cs",)), max_size=80)
RTL = st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), max_size=80)
EMOJI = st.lists(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF) | st.sampled_from(
    ["\u200d", "\ufe0f", "\U0001F1F7\U0001F1FA", " ", ".", "Putin"]), max_size=40).map("".join)
HTML_BITS = st.lists(st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p>", "<b>", "&amp;", "&#0;",
    "<!--", "-->", "<![CDATA[", "]]>", "\"'", "javascript:alert(1)", "<a href='//evil'>",
    "Putin", "met", "Xi", "Russia", "attacked", "Ukraine", ".", ",", " ", "\n",
]), max_size=30).map("".join)
SENTENCE_BITS = st.lists(st.sampled_from([
    "Russia", "attacked", "Ukraine", "Putin", "met", "Xi Jinping", "in", "Moscow", "on Monday",
    "NATO", "condemned", "the", "strike", "said", "that", "he", "would", "not", "sign", "a deal",
    "with", "Kyiv", ".", ",", "\"", "'s", "\n", "🇺🇦", "موسكو", "\u202e", "\x00", "<b>",
]), max_size=60).map(" ".join)
HOSTILE_TEXT = st.one_of(ANY_TEXT, CONTROL, RTL, EMOJI, HTML_BITS, SENTENCE_BITS, st.just(""))

# explicit cases for every input class
EXAMPLES = [
    "",
    "   \n\t ",
    "\x00\x01\x02\x1b[31mRussia\x7f attacked\x85 Ukraine\u2028.",
    "روسيا هاجمت أوكرانيا. Russia met Israel (ישראל) in \u202eMoscow\u202c.",
    "🇷🇺 Russia 💣 attacked 🇺🇦 Ukraine 👍🏽. 👨‍👩‍👧 Putin met Xi 🤝.",
    "<script>alert(1)</script><b>Putin</b> met <img src=x onerror=alert(1)> Xi &amp; NATO.",
    "Trump \"called\" Putin's 'aide' [sic] {x} | a/b \\ c.",
    "e\u0301 \ufeff\ufffe\uffff \U0010FFFF Kyiv.",
]


@pytest.fixture(scope="session")
def extractor():
    from kg.parallel import shared_extractor

    return shared_extractor()
