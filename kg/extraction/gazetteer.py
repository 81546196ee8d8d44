"""The entity lexicon: countries, capitals, demonyms, leaders, organisations and their aliases.

Three data files in ``data/lexicon`` feed it, each validated when loaded (errors name the file,
line and id): ``gazetteer.tsv`` (one row per entity), ``groups.tsv`` (nouns that make a
demonym-led group: "forces" -> military) and ``titles.tsv`` (titles and roles of people).
Countries missing from ``gazetteer.tsv`` are filled in from pycountry, and pycountry's
official names become extra aliases of the countries that are there.
"""

from __future__ import annotations

import calendar
import csv
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from kg.errors import DataError
from kg.extraction.spans import span_text
from kg.extraction.vocab import ENTITY_TYPES, SPACY_LABELS
from kg.extraction.words import NAME_PARTICLES
from kg.resources import data_dir
from kg.types import Entity

GAZETTEER_COLUMNS = (
    "id", "type", "name", "wikidata", "country", "represents", "role", "gender", "iso",
    "demonyms", "aliases",
)
GROUP_COLUMNS = ("id", "head", "sector")
TITLE_COLUMNS = ("id", "title", "leader")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_POSSESSIVE = re.compile(r"(?:'s|')$")
# Short all-capital aliases ("US", "UN", "WHO") would match ordinary words once lower-cased.
_STRICT_MAX = 4
_MAX_TITLE_WORDS = 4
# A bare "May" or "June" is a date far more often than a surname.
_NOT_SURNAMES = frozenset(m.lower() for m in calendar.month_name if m)


@dataclass(frozen=True, slots=True)
class GazEntry(Entity):
    """One gazetteer row: the :class:`~kg.types.Entity` it lists (``aliases`` are the names it
    goes by) and what only the lexicon knows.

    ``represents`` is the entity the name stands for when it acts (Moscow -> russia, the
    White House -> united-states); ``gender`` (m/f) lets pronouns find a person; ``iso`` is a
    country's ISO 3166 alpha-2 code and ``demonyms`` its adjectives ("Russian").
    """

    represents: str | None = None
    gender: str | None = None
    iso: str | None = None
    demonyms: tuple[str, ...] = ()

    def entity(self) -> Entity:
        """The row's facts as a plain :class:`~kg.types.Entity`, without the lexicon's names (a
        document lists the names it used)."""
        return Entity(**{f.name: getattr(self, f.name) for f in fields(Entity) if f.name != "aliases"})


@lru_cache(maxsize=65536)  # names recur in every document
def fold(text: str) -> str:
    """Strip diacritics and unify apostrophes, dashes and spaces (no case change)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def strip_possessive(text: str) -> str:
    """"Trump's" / "Trump’s" / "Reuters'" -> "Trump" / "Reuters" (text folded)."""
    text = fold(text).strip()
    if text.endswith("'s") or text.endswith("'S"):
        return text[:-2].rstrip()
    if text.endswith("s'"):
        return text[:-1]
    return text


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Lookup key of a name: folded, lower-cased, no possessive, no leading "the", no dots."""
    text = strip_possessive(text).lower()
    text = re.sub(r"^the\s+", "", text)
    text = text.replace(".", "").replace("-", " ").replace(",", " ")
    return " ".join(text.split())


def _strict_key(text: str) -> str | None:
    """Key of a short capitalised acronym ("U.S." -> "US"), None for other names."""
    bare = strip_possessive(text).replace(".", "").strip()
    if bare.isalpha() and bare.isupper() and len(bare) <= _STRICT_MAX:
        return bare
    return None


def slugify(text: str) -> str:
    """Document-independent id of a name: "Donald Trump" -> "donald-trump"."""
    text = fold(strip_possessive(text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


def _plural(demonym: str) -> str:
    if re.search(r"(?:s|sh|ch|ese|x)$", demonym):
        return demonym
    return demonym + "s"


def _read_tsv(path: Path, columns: tuple[str, ...]):
    """Yield (line number, row dict) of a TSV with a header; '#' lines and blanks skipped."""
    if not path.is_file():
        raise DataError(str(path), "file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        header: list[str] | None = None
        for line_no, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
            if header is None:
                header = [c.strip() for c in cells]
                missing = [c for c in columns if c not in header]
                if missing:
                    raise DataError(str(path), f"header lacks columns {missing}", line_no)
                continue
            if len(cells) != len(header):
                raise DataError(
                    str(path), f"expected {len(header)} tab-separated fields, got {len(cells)}",
                    line_no, cells[0].strip() if cells else None,
                )
            yield line_no, {k: v.strip() for k, v in zip(header, cells)}


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


class Gazetteer:
    """Loaded, validated entity lexicon (countries, capitals, demonyms, leaders, organisations, aliases).

    Example:
        >>> gaz = Gazetteer.load()
        >>> gaz.lookup("U.S.").id, gaz.demonym("Russian").id
        ('united-states', 'russia')
    """

    def __init__(
        self,
        entries: dict[str, GazEntry],
        groups: dict[str, str],
        titles: dict[str, bool],
    ):
        self.entries = entries
        self.groups = groups  # head key -> sector
        self.titles = titles  # title key -> is a head of state/government title
        # every word of a title ("foreign", "minister"), read for every name of every document
        self.title_words = frozenset(w for key in titles for w in key.split())
        # the words a title ends with ("leader" of "rebel leader"): a phrase so headed is a title
        self.title_heads = frozenset(key.split()[-1] for key in titles)
        self._names: dict[str, str] = {}
        self._strict: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self._weak: dict[str, str | None] = {}
        given = {name_key(e.name.split()[0]) for e in entries.values() if e.type == "Person"}
        for entry in entries.values():
            for name in (entry.name, *entry.aliases):
                self._index(name, entry.id)
            for demonym in entry.demonyms:
                for form in (demonym, _plural(demonym)):
                    self._demonyms.setdefault(name_key(form), entry.id)
            if entry.type == "Person" and " " in entry.name:
                # A bare surname is an alias only while no other person shares it.
                words = entry.name.split()
                surname = name_key(words[-1])
                if surname in _NOT_SURNAMES or surname in given or words[-2].lower() in NAME_PARTICLES:
                    continue  # "King Hassan" is not Samia Suluhu Hassan; "Thani" names a dynasty
                self._weak[surname] = None if surname in self._weak else entry.id

    def _index(self, name: str, entry_id: str) -> None:
        strict = _strict_key(name)
        if strict is not None:
            self._strict.setdefault(strict, entry_id)
        else:
            self._names.setdefault(name_key(name), entry_id)

    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        """Read and validate gazetteer.tsv, groups.tsv and titles.tsv from ``directory``.

        Args:
            directory: folder of the lexicon files; default ``data_dir("lexicon")``.
        Raises:
            DataError: naming file, line and id of the first invalid row.
        """
        directory = Path(directory) if directory is not None else data_dir("lexicon")
        entries = read_gazetteer(directory / "gazetteer.tsv")
        groups = _read_keyed(directory / "groups.tsv", GROUP_COLUMNS, "head", _sector)
        titles = _read_keyed(directory / "titles.tsv", TITLE_COLUMNS, "title", _leader_flag)
        return cls(entries, groups, titles)

    def get(self, entry_id: str) -> GazEntry | None:
        """The entry with this id, or None."""
        return self.entries.get(entry_id)

    def lookup(self, name: str, weak: bool = True) -> GazEntry | None:
        """Alias -> entry (case/punctuation-normalised; short acronyms must be upper case);
        ``weak``: a bare surname may name the one listed person who bears it."""
        strict = _strict_key(name)
        if strict is not None and strict in self._strict:
            return self.entries[self._strict[strict]]
        key = name_key(name)
        entry_id = self._names.get(key) or (self._weak.get(key) if weak else None)
        return self.entries[entry_id] if entry_id else None

    def demonym(self, word: str) -> GazEntry | None:
        """"Russian" / "Russians" / "North Korean" -> the country entry."""
        entry_id = self._demonyms.get(name_key(word))
        return self.entries[entry_id] if entry_id else None

    def primary_demonym(self, entry: GazEntry) -> str:
        """The adjective for group names ("Ukrainian"), the entry's name when it has none."""
        return entry.demonyms[0] if entry.demonyms else entry.name

    def country_in(self, doc, start: int, end: int) -> tuple[GazEntry, int] | None:
        """The country a demonym, country, capital or seat of power between tokens start and end
        names, and the token it starts at; the one nearest the end wins ("US intelligence",
        "Moscow officials", "the Kremlin leader")."""
        for right in range(end, start, -1):
            for left in range(max(start, right - 3), right):
                text = span_text(doc, left, right)
                entry = self.demonym(text)
                if entry is None and text[:1].isupper():
                    entry = self.lookup(text)
                    if entry is not None and entry.represents:
                        entry = self.entries[entry.represents]
                    if entry is not None and entry.country and entry.type != "Country":
                        entry = self.entries.get(entry.country)
                if entry is not None and entry.type == "Country":
                    return entry, left
        return None

    def current_holder(self, title: str, country_id: str) -> GazEntry | None:
        """The one person whose current office in ``country_id`` has this title ("leader" = any
        head of state or government), None when none or several."""
        found = []
        for e in self.entries.values():
            if e.type != "Person" or e.country != country_id or not e.role:
                continue
            if e.role.lower().startswith("former"):
                continue
            keys = titles_in(e.role, self.titles)
            if (title == "leader" and any(self.titles[k] for k in keys)) or title in keys:
                found.append(e)
        return found[0] if len(found) == 1 else None

    def ruler_patterns(self) -> list[dict]:
        """spaCy EntityRuler patterns (label, phrase pattern, id) for every name and alias."""
        patterns: dict[tuple[str, str], dict] = {}
        for entry in self.entries.values():
            label = SPACY_LABELS[entry.type]
            if (entry.type == "Facility" and entry.represents) or entry.type == "Group":
                label = "ORG"  # "the Kremlin" acts like the body it houses; Hamas is a body
            if label == "MISC":
                continue
            for name in (entry.name, *entry.aliases):
                if "," in name:
                    continue  # pycountry's inverted forms ("Korea, Republic of")
                text = re.sub(r"^(?:the|The)\s+", "", name)
                variants = {text, fold(text)}
                if "'" in text:
                    variants.add(text.replace("'", "\u2019"))
                for variant in variants:
                    patterns.setdefault(
                        (label, variant), {"label": label, "pattern": variant, "id": entry.id}
                    )
        return [patterns[k] for k in sorted(patterns)]


def titles_in(text: str, titles: dict[str, bool]) -> set[str]:
    """Title keys in a role text, longest match first ("Russian Foreign Minister" ->
    {"foreign minister"})."""
    words = name_key(text).split()
    found, i = set(), 0
    while i < len(words):
        for n in range(min(_MAX_TITLE_WORDS, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            if key in titles:
                found.add(key)
                i += n
                break
        else:
            i += 1
    return found


def _sector(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"sector {value!r} is not a lower-case word")
    return value


def _leader_flag(value: str) -> bool:
    if value not in ("yes", "no"):
        raise ValueError(f"leader must be yes or no, not {value!r}")
    return value == "yes"


def _read_keyed(path: Path, columns, key_column, convert) -> dict:
    """Read a two-column lexicon (key -> converted value) with unique ids and keys."""
    seen_ids: set[str] = set()
    table: dict = {}
    for line_no, row in _read_tsv(path, columns):
        row_id = row["id"]
        if not _ID.match(row_id):
            raise DataError(str(path), "id must be lower-case words joined by '-'", line_no, row_id)
        if row_id in seen_ids:
            raise DataError(str(path), "duplicate id", line_no, row_id)
        seen_ids.add(row_id)
        key = name_key(row[key_column])
        if not key:
            raise DataError(str(path), f"empty {key_column}", line_no, row_id)
        if key in table:
            raise DataError(str(path), f"duplicate {key_column} {row[key_column]!r}", line_no, row_id)
        value_column = columns[-1]
        try:
            table[key] = convert(row[value_column])
        except ValueError as exc:
            raise DataError(str(path), str(exc), line_no, row_id) from None
    return table


def read_gazetteer(path: Path) -> dict[str, GazEntry]:
    """Read and validate gazetteer.tsv, then add the countries pycountry knows and it lacks."""
    entries: dict[str, GazEntry] = {}
    lines: dict[str, int] = {}
    owners: dict[str, str] = {}  # alias key -> id, to refuse an alias shared by two rows
    for line_no, row in _read_tsv(path, GAZETTEER_COLUMNS):
        row_id = row["id"]

        def fail(problem: str) -> DataError:
            return DataError(str(path), problem, line_no, row_id or None)

        if not _ID.match(row_id):
            raise fail("id must be lower-case words joined by '-'")
        if row_id in entries:
            raise fail(f"duplicate id (first on line {lines[row_id]})")
        if row["type"] not in ENTITY_TYPES:
            raise fail(f"unknown type {row['type']!r}; expected one of {sorted(ENTITY_TYPES)}")
        if not row["name"]:
            raise fail("missing name")
        if row["wikidata"] and not _QID.match(row["wikidata"]):
            raise fail(f"bad Wikidata QID {row['wikidata']!r} (expected Q followed by digits)")
        if row["gender"] not in ("", "m", "f"):
            raise fail(f"gender must be m, f or empty, not {row['gender']!r}")
        if row["iso"] and not re.fullmatch(r"[A-Z]{2}", row["iso"]):
            raise fail(f"iso must be an ISO 3166 alpha-2 code, not {row['iso']!r}")
        entry = GazEntry(
            id=row_id, name=row["name"], type=row["type"], wikidata=row["wikidata"] or None,
            country=row["country"] or None, represents=row["represents"] or None,
            role=row["role"] or None, gender=row["gender"] or None, iso=row["iso"] or None,
            demonyms=_split(row["demonyms"]), aliases=_split(row["aliases"]),
        )
        for name in (entry.name, *entry.aliases):
            key = _strict_key(name) or name_key(name)
            if owners.setdefault(key, row_id) != row_id:
                raise fail(f"alias {name!r} already names {owners[key]!r}")
        entries[row_id] = entry
        lines[row_id] = line_no
    for entry in entries.values():
        for column in ("country", "represents"):
            target = getattr(entry, column)
            if target is not None and target not in entries:
                raise DataError(
                    str(path), f"{column} {target!r} is not an id of this file",
                    lines[entry.id], entry.id,
                )
    return _add_pycountry(entries, _everyday_names(path.parent / "demonyms.tsv"))


def _add_pycountry(entries: dict[str, GazEntry], everyday: dict) -> dict[str, GazEntry]:
    """The countries pycountry knows and ``entries`` lack, with their everyday names."""
    import pycountry

    by_iso = {e.iso: e for e in entries.values() if e.iso}
    out = dict(entries)
    for country in pycountry.countries:
        names = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names = [n for n in dict.fromkeys(names) if n]
        known = by_iso.get(country.alpha_2)
        if known is not None:
            extra = tuple(n for n in names if n != known.name and n not in known.aliases)
            out[known.id] = replace(known, aliases=known.aliases + extra)
            continue
        entry_id = slugify(names[0])
        if entry_id in out:
            continue
        wikidata, demonyms, aliases = everyday.get(country.alpha_2, (None, (), ()))
        out[entry_id] = GazEntry(
            id=entry_id, name=names[0], type="Country", iso=country.alpha_2, wikidata=wikidata,
            aliases=tuple(names[1:]) + tuple(a for a in aliases if a not in names), demonyms=demonyms,
        )
    return out


def _everyday_names(path: Path) -> dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    """demonyms.tsv: ISO code -> (QID, demonyms, aliases) for the countries pycountry fills in;
    a lexicon folder without the file gives none. The ``wikidata`` column is optional."""
    if not path.is_file():
        return {}
    out = {}
    for line_no, row in _read_tsv(path, ("iso", "demonyms", "aliases")):
        demonyms, wikidata = _split(row["demonyms"]), row.get("wikidata") or None
        if len(row["iso"]) != 2 or not row["iso"].isupper() or not (demonyms or wikidata):
            raise DataError(str(path), "needs an ISO 3166-1 alpha-2 code and a demonym or a QID",
                            line_no, row["iso"])
        if wikidata and not _QID.match(wikidata):
            raise DataError(str(path), f"bad Wikidata QID {wikidata!r} (expected Q followed by digits)",
                            line_no, row["iso"])
        out[row["iso"]] = (wikidata, demonyms, _split(row["aliases"]))
    return out

