"""Tables out of the graph: GraphML for Gephi and networkx, and a GDELT-like CSV of events.

Both are deterministic (sorted nodes, edges and rows) and written atomically, like the RDF
exports of :mod:`kg.export.formats`, which :func:`export` delegates to for RDF syntaxes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import RDF, RDFS, Dataset

from kg.errors import KGError
from kg.files import atomic_write
from kg.export.formats import write_graph
from kg.graph import to_networkx
from kg.namespaces import GEO, KG
from kg.query import sparql
from kg.syntaxes import WRITTEN

FORMATS = (*WRITTEN, "graphml", "csv", "geojson")
NODE_ATTRIBUTES = ("label", "type", "country", "wikidata")
EDGE_ATTRIBUTES = ("relation", "label", "date", "date_start", "date_end", "date_precision", "cameo", "confidence",
                   "negated", "modality", "evidence")

#: columns of the events table, in order
EVENT_COLUMNS = (
    "event", "date", "date_start", "date_end", "date_precision", "actor1", "actor1_country", "actor2", "actor2_country", "relation",
    "cameo", "cameo_root", "plover", "goldstein", "negated", "modality", "attributed_to",
    "source_title", "source_url", "document", "confidence", "sentence",
    "place", "latitude", "longitude",
)

# what an event (or its document) may carry, read inside the event's own graph, in this order
_EVENT_OPTIONALS = (
    "?event kg:date ?d", "?event kg:dateStart ?start", "?event kg:dateEnd ?end",
    "?event kg:datePrecision ?precision", "?event kg:actor ?a . OPTIONAL { ?a rdfs:label ?aLabel }",
    "?event kg:actorText ?aText", "?event kg:target ?t . OPTIONAL { ?t rdfs:label ?tLabel }",
    "?event kg:targetText ?tText", "?event kg:cameoCode ?code", "?event kg:plover ?p", "?event kg:goldstein ?gs",
    "?event kg:negated ?neg", "?event kg:modality ?mod", "?event kg:attributedTo ?by . ?by rdfs:label ?byLabel",
    "?event kg:attributionText ?byText", "?event kg:confidence ?conf", "?event kg:evidence ?text",
    "?event kg:sentenceIndex ?index", "?doc kg:title ?title", "?doc kg:url ?url",
    "?event kg:locationText ?placeText", "?event kg:location ?at . OPTIONAL { ?at rdfs:label ?atLabel }",
)

# Each event's details and labels are read inside its own document graph (GRAPH ?g), which
# holds the labels of every entity it mentions. GROUP BY keeps one row per event whatever
# repeats. {cls} is kg:Event (coded events) or kg:Fact (every extracted fact). The place and
# the actors' countries come from LOOKUP_QUERY, joined in Python by :func:`event_rows`.
EVENTS_QUERY = """
SELECT ?event (SAMPLE(?d) AS ?date) (SAMPLE(?start) AS ?date_start) (SAMPLE(?end) AS ?date_end)
  (SAMPLE(?precision) AS ?date_precision)
  (SAMPLE(COALESCE(?aLabel, ?aText)) AS ?actor1) (SAMPLE(?a) AS ?actor1_iri)
  (SAMPLE(COALESCE(?tLabel, ?tText)) AS ?actor2) (SAMPLE(?t) AS ?actor2_iri)
  (SAMPLE(?lemma) AS ?relation) (SAMPLE(?code) AS ?cameo) (SAMPLE(SUBSTR(?code, 1, 2)) AS ?cameo_root)
  (SAMPLE(STRAFTER(STR(?p), STR(plover:))) AS ?plover) (SAMPLE(?gs) AS ?goldstein)
  (SAMPLE(?neg) AS ?negated) (SAMPLE(?mod) AS ?modality)
  (SAMPLE(COALESCE(?byLabel, ?byText)) AS ?attributed_to)
  (SAMPLE(?title) AS ?source_title) (SAMPLE(?url) AS ?source_url) (SAMPLE(?doc) AS ?document)
  (SAMPLE(?conf) AS ?confidence) (SAMPLE(?text) AS ?sentence)
  (SAMPLE(?index) AS ?sentence_index) (SAMPLE(?placeText) AS ?place_text) (SAMPLE(?at) AS ?place_iri)
  (SAMPLE(?atLabel) AS ?place_label)
WHERE {
  GRAPH ?g {
    ?event a {cls} ; kg:lemma ?lemma ; kg:document ?doc .
{optionals}
  }
}
GROUP BY ?event
ORDER BY (!BOUND(?date_start)) ?date_start ?date_end ?document ?sentence_index ?event
""".replace("{optionals}", "\n".join(f"    OPTIONAL {{ {pattern} }}" for pattern in _EVENT_OPTIONALS))


# What a row looks up by IRI over the union of the graphs: a place's label and coordinates, an
# entity's country, a country's label. Each fact is one DISTINCT pattern, read once however
# many document graphs repeat it; joining these lookups inside the events query over the union
# would multiply every copy of one fact by every copy of the next (minutes for 100 documents).
LOOKUP_QUERY = """
SELECT DISTINCT ?s ?p ?o WHERE {
  { VALUES ?p { rdfs:label geo:lat geo:long kg:country } ?s ?p ?o }
  UNION { ?s a kg:Country . BIND(rdf:type AS ?p) BIND(kg:Country AS ?o) }
}
"""


def _rdf_view(store: Any) -> Any:
    """An rdflib view of a store for the functions that take one (a pyoxigraph Store is wrapped)."""
    if isinstance(store, ox.Store):
        return Dataset(store=OxigraphStore(store=store), default_union=True)
    return store


def _plain(value: Any) -> Any:
    """A GraphML-friendly value: str, int, float or bool; None stays None (left out)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_graphml_graph(graph: Any, *, all_facts: bool = False) -> nx.MultiDiGraph:
    """The :func:`kg.graph.to_networkx` view reduced to GraphML-safe attributes.

    Nodes keep ``label, type, country`` (the country's label when known) ``, wikidata``; edges
    (keyed by event IRI) keep ``relation, label, date, date_start, date_end, date_precision,
    cameo, confidence, negated, modality, evidence``. Attributes without a value are left out:
    GraphML has no null. ``all_facts`` keeps every fact between two entities, not only events.
    """
    g = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(_rdf_view(graph), all_facts=all_facts)
    out = nx.MultiDiGraph()
    for node in sorted(g):
        attrs = dict(g.nodes[node])
        country = attrs.get("country")
        if country in g:
            attrs["country"] = g.nodes[country].get("label", country)
        out.add_node(node, **{k: _plain(attrs.get(k)) for k in NODE_ATTRIBUTES if attrs.get(k) is not None})
    for u, v, key, attrs in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        out.add_edge(u, v, key=key, **{k: _plain(attrs.get(k)) for k in EDGE_ATTRIBUTES if attrs.get(k) is not None})
    return out


def write_graphml(graph: Any, path: str | Path, *, all_facts: bool = False) -> dict[str, int]:
    """Write the entity/event graph as GraphML (opens in Gephi, yEd, ``nx.read_graphml``).

    Args:
        graph: a store (rdflib Dataset/Graph or pyoxigraph Store) or a :func:`to_networkx` graph.

    Returns:
        ``{"nodes": ..., "edges": ...}`` written.

    Example:
        >>> write_graphml(open_store("out/store"), "events.graphml")  # doctest: +SKIP
        {'nodes': 12, 'edges': 9}
    """
    g = to_graphml_graph(graph, all_facts=all_facts)
    atomic_write(Path(path), lambda out: nx.write_graphml(g, out, encoding="utf-8", prettyprint=True))
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())  # one physical line per event, whatever the sentence held


def _lookups(view: Any) -> dict[tuple[str, str], list[Any]]:
    """(subject, predicate) -> its objects in a fixed order, from :data:`LOOKUP_QUERY`."""
    found: dict[tuple[str, str], set[Any]] = {}
    for subject, predicate, value in sparql(view, LOOKUP_QUERY).itertuples(index=False, name=None):
        found.setdefault((subject, predicate), set()).add(value)
    return {key: sorted(values, key=lambda v: (type(v).__name__, str(v))) for key, values in found.items()}


def _first(facts: dict[tuple[str, str], list[Any]], subject: Any, predicate: str) -> Any:
    values = facts.get((subject, predicate))
    return values[0] if values else None


def _country(facts: dict[tuple[str, str], list[Any]], entity: Any) -> Any:
    """The entity's country (itself when it is one) by label, else by IRI; None when unknown."""
    countries = list(facts.get((entity, str(KG.country)), ()))
    if (entity, str(RDF.type)) in facts:
        countries.append(entity)
    names = [_first(facts, country, str(RDFS.label)) for country in countries]
    names = [str(country) if name is None else name for name, country in zip(names, countries)]
    return min(names) if names else None


def _located(record: dict[str, Any], facts: dict[tuple[str, str], list[Any]]) -> dict[str, Any]:
    """An events-query record with its place and the actors' countries looked up."""
    place, label = record["place_iri"], record["place_label"]  # as the event's own document names it
    label = _first(facts, place, str(RDFS.label)) if label is None else label
    lat, long = _first(facts, place, str(GEO.lat)), _first(facts, place, str(GEO.long))
    located = lat is not None and long is not None
    return {**record, "actor1_country": _country(facts, record["actor1_iri"]),
            "actor2_country": _country(facts, record["actor2_iri"]),
            "place": record["place_text"] if label is None else label,
            "latitude": lat if located else None, "longitude": long if located else None}


def event_rows(store: Any, *, all_facts: bool = False) -> list[dict[str, str]]:
    """The rows of the events table (see :data:`EVENT_COLUMNS`) as strings, in a fixed order.

    Args:
        all_facts: a row for every extracted fact, not only for coded events.
    """
    view = _rdf_view(store)
    frame = sparql(view, EVENTS_QUERY.replace("{cls}", "kg:Fact" if all_facts else "kg:Event"))
    if not len(frame):
        return []
    facts = _lookups(view)
    return [
        {column: _cell(row[column]) for column in EVENT_COLUMNS}
        for row in (_located(record, facts) for record in frame.to_dict("records"))
    ]


def write_events_csv(graph: Any, path: str | Path, *, all_facts: bool = False) -> int:
    """Write one CSV row per event, in the spirit of GDELT's event table.

    Columns are :data:`EVENT_COLUMNS`: the date as written with its typed bounds and
    precision, actors by label (the text as written when unresolved), their countries,
    relation lemma, CAMEO code and root, PLOVER, Goldstein, stance, attribution, source
    document and the evidence sentence. Rows by first day (undated last), last day, document
    and sentence. ``all_facts`` writes a row for every extracted fact, not only coded events.

    Returns:
        The number of rows written.

    Example:
        >>> write_events_csv(open_store("out/store"), "events.csv")  # doctest: +SKIP
        9
    """
    rows = event_rows(graph, all_facts=all_facts)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8")
    atomic_write(Path(path), lambda out: out.write(data))
    return len(rows)


def to_geojson(graph: Any) -> dict[str, Any]:
    """The located events as a GeoJSON FeatureCollection (RFC 7946: WGS84, longitude first).

    One Point feature per event whose place has coordinates; its properties are the other
    columns of the events table (:data:`EVENT_COLUMNS`), empty ones left out.

    Example:
        >>> to_geojson(open_store("out/store"))["features"][0]["geometry"]  # doctest: +SKIP
        {'type': 'Point', 'coordinates': [30.5238, 50.45466]}
    """
    features = []
    for row in event_rows(graph):
        if not row["latitude"] or not row["longitude"]:
            continue
        properties = {k: v for k, v in row.items() if v and k not in ("latitude", "longitude")}
        point = [float(row["longitude"]), float(row["latitude"])]
        features.append({"type": "Feature", "id": row["event"], "properties": properties,
                         "geometry": {"type": "Point", "coordinates": point}})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(graph: Any, path: str | Path) -> int:
    """Write the located events as GeoJSON (opens in QGIS, kepler.gl); returns the feature count."""
    collection = to_geojson(graph)
    data = json.dumps(collection, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    atomic_write(Path(path), lambda out: out.write(data + b"\n"))
    return len(collection["features"])


def export(store_or_graph: Any, path: str | Path, fmt: str | None = None, *, all_facts: bool = False) -> Path:
    """Write a store in one format, chosen by ``fmt`` or by the file extension.

    Args:
        fmt: ``ttl``, ``trig``, ``nt``, ``nq``, ``jsonld`` (RDF, via
            :func:`kg.export.formats.write_graph`), ``graphml``, ``csv`` (events table) or
            ``geojson`` (located events).
        all_facts: GraphML edges and CSV rows for every extracted fact, not only coded
            events (RDF formats always hold every fact).

    Returns:
        The path written.

    Example:
        >>> export(open_store("out/store"), "events.csv")  # doctest: +SKIP
        PosixPath('events.csv')
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    fmt = {"turtle": "ttl", "json-ld": "jsonld", "xml": "graphml"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise KGError(f"unknown export format {fmt or path.name!r} (choose from {', '.join(FORMATS)})")
    if fmt == "graphml":
        write_graphml(store_or_graph, path, all_facts=all_facts)
    elif fmt == "csv":
        write_events_csv(store_or_graph, path, all_facts=all_facts)
    elif fmt == "geojson":
        write_geojson(store_or_graph, path)
    else:
        if isinstance(store_or_graph, nx.Graph):
            raise KGError(f"{fmt} needs the RDF store, not a networkx graph")
        write_graph(store_or_graph, path, fmt)
    return path
