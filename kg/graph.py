"""The event graph as networkx: entities as nodes, one edge per event, and small analytics.

The RDF graph stays the source of truth; this view is read from it with SPARQL over the union
of the named graphs (one per document), so it works the same on an rdflib memory store and
on Oxigraph.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any, Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import OWL, SKOS

from kg.dates import date_interval
from kg.errors import KGError
from kg.namespaces import CAMEO, ENT, GEO, KG, PLOVER, REL, WD

_KG_NS = str(KG._NS)

# One row per (subject, predicate, object): the pivot into records happens in Python, which
# keeps the query cheap on every store (a wide OPTIONAL query is slow in rdflib's engine).
_ENTITY_QUERY = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{ ?s a <{KG.Entity}> ; ?p ?o . }}
"""
_FACT_QUERY = """
SELECT DISTINCT ?s ?p ?o WHERE {{ ?s a <{cls}> ; ?p ?o . }}
"""
_DOCUMENT_QUERY = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{ ?s a <{KG.Document}> ; ?p ?o . }}
"""

_EVENT_FIELDS = {
    KG.lemma: "relation",
    KG.relationText: "label",
    KG.date: "date",
    KG.datePrecision: "date_precision",
    KG.dateText: "date_text",
    KG.modality: "modality",
    KG.evidence: "evidence",
    KG.attributionText: "attribution_text",
    KG.quote: "quote",
    KG.locationText: "location_text",
    KG.pattern: "pattern",
}


def _union_view(graph: Graph) -> Graph:
    """A view that queries the union of all named graphs without changing the caller's graph."""
    if isinstance(graph, ConjunctiveGraph) and not graph.default_union:
        return Dataset(store=graph.store, default_union=True)
    return graph


def _pivot(graph: Graph, query: str) -> dict[str, dict[URIRef, list]]:
    """Run a ``?s ?p ?o`` query and group the objects by subject IRI and predicate."""
    records: dict[str, dict[URIRef, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph.query(query):
        if isinstance(s, URIRef):
            records[str(s)][p].append(o)
    for props in records.values():
        for values in props.values():
            values.sort(key=lambda v: (type(v).__name__, str(v)))
    return records


def _first(props: dict, predicate: URIRef) -> Any:
    values = props.get(predicate)
    return values[0] if values else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _local(iri: Any, namespace: Any) -> str | None:
    """The part of ``iri`` after ``namespace`` (``PLOVER.CONSULT`` -> ``"CONSULT"``)."""
    if iri is None:
        return None
    text, base = str(iri), str(namespace)
    return text[len(base) :] if text.startswith(base) else text


def _entity_type(types: list) -> str:
    """The most specific kg class of an entity: any kg class but ``kg:Entity`` itself."""
    names = sorted(
        str(t)[len(_KG_NS) :] for t in types if str(t).startswith(_KG_NS) and t != KG.Entity
    )
    return names[0] if names else "OtherEntity"


def _fallback_label(iri: str) -> str:
    return _local(iri, ENT).replace("-", " ") if iri.startswith(str(ENT)) else iri


def _literal_value(value: Any) -> Any:
    return value.toPython() if isinstance(value, Literal) else value


def _number(value: Any, kind: type = float) -> Any:
    """A numeric literal as a number; None when absent or ill-typed (``"high"^^xsd:decimal``)."""
    value = _literal_value(value)
    try:
        return None if value is None else kind(value)
    except (TypeError, ValueError, ArithmeticError):
        return None


def to_networkx(graph: Graph, *, all_facts: bool = False) -> nx.MultiDiGraph:
    """Entities as nodes and one edge per event whose actor and target are both entities.

    Node ids are entity IRIs (attributes ``label, type, country, wikidata, aliases, role,
    sector``, and ``lat, long, country_code`` for located places); edge keys are event IRIs
    (attributes ``relation`` (lemma), ``label`` (as written), ``date`` (ISO text), ``date_start,
    date_end`` (``datetime.date``), ``date_precision, cameo, plover, negated, modality,
    confidence, evidence, document, attributed_to`` and a few more). Documents are kept in
    ``g.graph["documents"]``.

    Args:
        all_facts: an edge for every fact between two entities (``kg:Fact``), not only for
            coded events (``kg:Event``).

    Example:
        >>> g = to_networkx(dataset)
        >>> g.nodes["https://w3id.org/kg-events/entity/vladimir-putin"]["label"]
        'Vladimir Putin'
    """
    view = _union_view(graph)
    g = nx.MultiDiGraph()
    entities = _pivot(view, _ENTITY_QUERY)
    for iri in sorted(entities):
        props = entities[iri]
        g.add_node(iri, **_entity_attrs(iri, props))

    documents = _pivot(view, _DOCUMENT_QUERY)
    g.graph["documents"] = {iri: _document_attrs(iri, documents[iri]) for iri in sorted(documents)}

    events = _pivot(view, _FACT_QUERY.format(cls=KG.Fact if all_facts else KG.Event))
    for iri in sorted(events):
        props = events[iri]
        actor, target = _first(props, KG.actor), _first(props, KG.target)
        if not isinstance(actor, URIRef) or not isinstance(target, URIRef):
            continue
        for end in (str(actor), str(target)):
            if end not in g:
                # an entity typed in no graph still deserves a readable node
                g.add_node(end, **_entity_attrs(end, {}))
        g.add_edge(str(actor), str(target), key=iri, **_event_attrs(props))
    return g


def _entity_attrs(iri: str, props: dict) -> dict[str, Any]:
    wikidata = next(
        (_local(o, WD) for o in props.get(OWL.sameAs, ()) if str(o).startswith(str(WD))), None
    )
    return {
        "label": _text(_first(props, RDFS.label)) or _fallback_label(iri),
        "type": _entity_type(props.get(RDF.type, [])),
        "country": _text(_first(props, KG.country)),
        "wikidata": wikidata,
        "aliases": tuple(sorted({str(a) for a in props.get(SKOS.altLabel, ())})),
        "role": _text(_first(props, KG.role)),
        "sector": _text(_first(props, KG.sector)),
        "lat": _number(_first(props, GEO.lat)),
        "long": _number(_first(props, GEO.long)),
        "country_code": _text(_first(props, KG.countryCode)),
    }


def _document_attrs(iri: str, props: dict) -> dict[str, Any]:
    published = _first(props, KG.published)
    return {
        "title": _text(_first(props, KG.title)) or _text(_first(props, RDFS.label)) or iri,
        "url": _text(_first(props, KG.url)),
        "published": _text(published),
        "publisher": _text(_first(props, KG.publisher)),
    }


def _event_attrs(props: dict) -> dict[str, Any]:
    attrs: dict[str, Any] = {name: _text(_first(props, p)) for p, name in _EVENT_FIELDS.items()}
    relation_iri = _first(props, KG.relation)
    if attrs["relation"] is None and relation_iri is not None:
        attrs["relation"] = _local(relation_iri, REL)
    attrs["label"] = attrs["label"] or attrs["relation"]
    cameo = _first(props, KG.cameoCode) or _first(props, KG.cameo)
    attrs["cameo"] = _local(cameo, CAMEO)
    attrs["plover"] = _local(_first(props, KG.plover), PLOVER)
    attrs["negated"] = bool(_literal_value(_first(props, KG.negated)) or False)
    attrs["modality"] = attrs["modality"] or "asserted"
    attrs["confidence"] = _number(_first(props, KG.confidence))
    attrs["goldstein"] = _number(_first(props, KG.goldstein))
    attrs["document"] = _text(_first(props, KG.document))
    attributed = _first(props, KG.attributedTo)
    attrs["attributed_to"] = _text(attributed) or attrs["attribution_text"]
    attrs["location"] = _text(_first(props, KG.location))
    attrs["sentence_index"] = _number(_first(props, KG.sentenceIndex), int)
    for name, prop in (("date_start", KG.dateStart), ("date_end", KG.dateEnd)):
        value = _literal_value(_first(props, prop))
        attrs[name] = value if isinstance(value, date) else None
    return attrs


def degree_table(g: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """``(iri, label, degree)`` rows, most connected first, ties by label then IRI.

    Example:
        >>> degree_table(g)[0]
        ('https://w3id.org/kg-events/entity/donald-trump', 'Donald Trump', 7)
    """
    rows = [(n, g.nodes[n].get("label", n), d) for n, d in g.degree()]
    return sorted(rows, key=lambda r: (-r[2], r[1].casefold(), r[0]))


def resolve_node(g: nx.MultiDiGraph, name: str) -> str:
    """The node meant by ``name``: an IRI, an entity id, a label or a unique label substring.

    Raises:
        KGError: when nothing, or more than one entity, matches.
    """
    if name in g:
        return name
    if str(ENT) + name in g:
        return str(ENT) + name
    wanted = name.casefold()
    exact = sorted(n for n, a in g.nodes(data=True) if str(a.get("label", "")).casefold() == wanted)
    if len(exact) == 1:
        return exact[0]
    partial = exact or sorted(
        n for n, a in g.nodes(data=True) if wanted in str(a.get("label", "")).casefold()
    )
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise KGError(f"no entity matches {name!r}")
    labels = ", ".join(sorted({str(g.nodes[n].get("label", n)) for n in partial})[:5])
    raise KGError(f"{name!r} matches {len(partial)} entities ({labels}); be more specific")


def ego_graph(g: nx.MultiDiGraph, node: str, hops: int = 1) -> nx.MultiDiGraph:
    """The entities within ``hops`` events of ``node`` (either direction) and their events.

    ``node`` may be an IRI, an entity id or a label (see :func:`resolve_node`).
    """
    centre = resolve_node(g, node)
    ego = nx.ego_graph(g, centre, radius=hops, undirected=True)
    ego.graph.update(g.graph)
    ego.graph["focus"] = centre
    return ego


def _bound(value: Any, name: str, end: bool) -> date | None:
    if value is None:
        return None
    interval = date_interval(value)
    if interval is None:
        raise KGError(f"{name}: not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return interval[1] if end else interval[0]


def _type_names(types: Iterable[str] | str | None) -> set[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        types = [t for t in types.split(",") if t.strip()]
    return {_local(str(t).strip(), _KG_NS).casefold() for t in types}


def filter_graph(
    g: nx.MultiDiGraph,
    *,
    since: Any = None,
    until: Any = None,
    types: Iterable[str] | str | None = None,
    max_nodes: int | None = None,
) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    """Keep events dated in ``[since, until]``, entities of ``types``, the best-connected part.

    An event is kept when its typed bounds (``date_start``, ``date_end``) overlap the range; undated
    events are left out once a bound is given, and so are entities that lose all their events
    that way. ``types`` are class names (``Person``, ``Country``; case-insensitive).
    ``max_nodes`` keeps that many entities of highest degree (ties by label, then IRI).

    Returns:
        The filtered copy and a summary: ``nodes``, ``edges`` kept, ``nodes_left_out``,
        ``edges_left_out`` and ``left_out_by`` (``date`` events, ``type`` entities,
        ``orphaned`` entities, ``max_nodes`` entities).

    Example:
        >>> small, summary = filter_graph(g, since="2024-11-01", max_nodes=50)
    """
    low, high = _bound(since, "since", False), _bound(until, "until", True)
    wanted = _type_names(types)
    out = g.copy()
    by = {"date": 0, "type": 0, "orphaned": 0, "max_nodes": 0}

    if low is not None or high is not None:
        touched = set()
        for u, v, k, d in list(out.edges(keys=True, data=True)):
            first, last = d.get("date_start"), d.get("date_end") or date.max  # an open interval
            if first is None or (low and last < low) or (high and first > high):
                out.remove_edge(u, v, key=k)
                touched.update((u, v))
                by["date"] += 1
        orphans = sorted(n for n in touched if out.degree(n) == 0)
        out.remove_nodes_from(orphans)
        by["orphaned"] = len(orphans)

    if wanted is not None:
        drop = sorted(n for n, a in out.nodes(data=True) if str(a.get("type")).casefold() not in wanted)
        out.remove_nodes_from(drop)
        by["type"] = len(drop)

    if max_nodes is not None and out.number_of_nodes() > max_nodes:
        ranked = degree_table(out)
        out.remove_nodes_from([row[0] for row in ranked[max(max_nodes, 0) :]])
        by["max_nodes"] = len(ranked) - max(max_nodes, 0)

    summary = {
        "nodes": out.number_of_nodes(),
        "edges": out.number_of_edges(),
        "nodes_left_out": g.number_of_nodes() - out.number_of_nodes(),
        "edges_left_out": g.number_of_edges() - out.number_of_edges(),
        "left_out_by": by,
    }
    return out, summary


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout_positions(
    g: nx.MultiDiGraph, *, backbone: int = 400, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions in pixels: a spring layout of the best-connected part.

    The ``backbone`` entities of highest degree get a seeded ``spring_layout`` (cost grows
    with the square of its size, so it is capped); every other entity is placed on a small
    sunflower around the first placed neighbour it is reached from (breadth first), and
    entities not connected to the backbone fill a ring outside it. Linear beyond the backbone,
    so 10,000 entities take about a second.
    """
    ranked = [row[0] for row in degree_table(g)]
    if not ranked:
        return {}
    und = nx.Graph()
    und.add_nodes_from(ranked)
    und.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in g.edges() if u != v}))
    core = ranked[:backbone]
    sub = nx.Graph()
    sub.add_nodes_from(core)
    sub.add_edges_from(sorted({tuple(sorted(e)) for e in und.subgraph(core).edges()}))
    scale = 45.0 * math.sqrt(len(core)) + 40.0
    if len(core) == 1:
        spring = {core[0]: (0.0, 0.0)}
    else:
        spring = nx.spring_layout(sub, seed=seed, iterations=50)
    pos = {n: (float(spring[n][0]) * scale, float(spring[n][1]) * scale) for n in core}

    rank = {n: i for i, n in enumerate(ranked)}
    children: dict[str, int] = defaultdict(int)
    frontier = list(core)
    while frontier:
        following = []
        for parent in frontier:
            px, py = pos[parent]
            for child in sorted(und[parent], key=rank.__getitem__):
                if child in pos:
                    continue
                k = children[parent] = children[parent] + 1
                # turning by the parent's rank keeps two parents on one spot from stacking children
                angle = (k + rank[parent]) * _GOLDEN_ANGLE
                radius = 22.0 * math.sqrt(k) + 18.0
                pos[child] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
                following.append(child)
        frontier = following

    rest = [n for n in ranked if n not in pos]
    outer = max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + 120.0
    for k, n in enumerate(rest):
        angle, radius = k * _GOLDEN_ANGLE, outer + 24.0 * math.sqrt(k)
        pos[n] = (radius * math.cos(angle), radius * math.sin(angle))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}
