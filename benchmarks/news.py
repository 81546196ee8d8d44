"""Generated news articles for the benchmarks: varied sentences, never one article repeated.

    python benchmarks/news.py --docs 20000 --out day.jsonl [--seed 1] [--sentences 6 22]

Every article is drawn from its own seeded random generator (seed and index), so any slice of
a corpus is the same whatever its length, and articles stream without a list in memory.
Sentences are built from templates written for kg's benchmarks with slots for actors, leaders,
places, acts, reasons and time expressions; an article has a headline, a dateline, a few
paragraphs, a publication date, a source and a URL.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

COUNTRIES = [
    "Russia", "Ukraine", "China", "the United States", "Iran", "Israel", "France", "Germany",
    "Turkey", "India", "Pakistan", "Japan", "Poland", "Brazil", "Argentina", "Kenya", "Ethiopia",
    "Indonesia", "Malaysia", "Sweden", "Finland", "Morocco", "Algeria", "Peru", "Colombia",
    "Egypt", "Saudi Arabia", "Qatar", "South Korea", "North Korea", "Vietnam", "the Philippines",
    "Mexico", "Canada", "Nigeria", "South Africa", "Serbia", "Hungary", "Armenia", "Azerbaijan",
    "Georgia", "Belarus", "Syria", "Lebanon", "Jordan", "Iraq", "Afghanistan", "Sudan", "Chad",
]
ORGANISATIONS = [
    "NATO", "the European Union", "the United Nations", "the African Union", "ASEAN",
    "the World Bank", "the International Monetary Fund", "the Red Cross", "OPEC",
    "the World Health Organization", "the Arab League", "the Security Council",
]
FIRST = ["Anna", "Pavel", "Li", "Maria", "Ahmed", "Olga", "Jean", "Kenji", "Fatima", "Carlos",
         "Ingrid", "Tomasz", "Amara", "Rahul", "Sofia", "Yusuf", "Elena", "Dmitri", "Grace", "Omar"]
LAST = ["Novak", "Kowalski", "Chen", "Haddad", "Moreau", "Tanaka", "Okafor", "Silva", "Lindqvist",
        "Petrov", "Mensah", "Sharma", "Rossi", "Demir", "Ivanova", "Nakamura", "Mbeki", "Santos"]
ROLES = ["President", "Prime Minister", "Foreign Minister", "Defence Minister", "Finance Minister",
         "the foreign minister", "the defence minister", "the ambassador", "the trade envoy"]
CITIES = ["Geneva", "Vienna", "Doha", "Istanbul", "Brussels", "Nairobi", "Jakarta", "Warsaw",
          "Cairo", "Riyadh", "Ankara", "Helsinki", "Lima", "Bogota", "Seoul", "Hanoi", "Belgrade",
          "Tbilisi", "Baku", "Yerevan", "Amman", "Baghdad", "Khartoum", "Lagos", "Ottawa", "Minsk"]
OUTLETS = ["Daily Ledger", "Evening Courier", "Harbour Times", "Capital Wire", "Northern Post",
           "World Desk", "The Meridian", "Frontline Report"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
        "on Sunday", "last week", "yesterday", "earlier this month", "on 3 March", "on 14 June",
        "in April", "last month", "two days ago", "this morning"]
GOODS = ["steel", "grain", "natural gas", "fertiliser", "semiconductors", "crude oil", "timber",
         "copper", "rice", "solar panels", "medicines", "aircraft parts"]
REASONS = ["a dispute over fishing rights", "the detention of two journalists",
           "an alleged cyber attack on its banks", "the expulsion of diplomats",
           "repeated violations of the ceasefire", "a row over water from a shared river",
           "the seizure of a cargo ship", "disputed election results", "border incidents",
           "the arrest of opposition leaders", "a collapse in grain exports"]
TOPICS = ["energy cooperation", "a prisoner exchange", "the reconstruction of the port",
          "debt relief", "a new trade corridor", "refugee returns", "the nuclear programme",
          "joint military exercises", "visa rules", "a regional security pact"]
NUMBERS = ["two", "three", "five", "seven", "twelve", "dozens of", "at least 40", "more than 100"]

TEMPLATES = [
    "{A} accused {B} of {reason_ing} {day}.",
    "{P} met {Q} in {city} {day} to discuss {topic}.",
    "{P} held talks with {Q} in {city} {day}.",
    "Officials in {A} said that {B} had launched a missile attack on a border town.",
    "{B} was criticised by {A} for its support of armed groups in the region.",
    "{P}, who met {Q} {day}, urged {B} to withdraw its troops from the border.",
    "{A} imposed sanctions on {B} {day}, citing {reason}.",
    "The sanctions imposed by {A} on {B} were extended until the end of the year.",
    "{A} and {B} signed an agreement on {topic} after months of negotiations.",
    "{Q} did not condemn the strike, which killed {number} civilians.",
    "According to {O}, forces loyal to {B} shelled {number} villages overnight.",
    "{P} told reporters that {A} would continue to provide military aid to {B}.",
    "{A} recalled its ambassador from {B} {day} over {reason}.",
    "{O} called on {A} and {B} to return to the negotiating table.",
    "{A} banned imports of {goods} from {B}, a move {B} described as economic coercion.",
    "{P} said {A} was ready to mediate between {B} and {C}.",
    "Protesters gathered outside the embassy of {A} in {city} {day}.",
    "{B} rejected the proposal from {A}, calling it an attempt to interfere in its elections.",
    "{A} will host a summit with {B} and {C} in {city} next month, {P} announced.",
    "{O} sent {number} aid convoys to {B} {day}.",
    "Troops from {A} crossed into {B} overnight, according to local officials.",
    "{P} denied that {A} had supplied weapons to rebels in {B}.",
    "{A} expelled {number} diplomats from {B} {day}, accusing them of spying.",
    "{Q} praised {A} for releasing the detained sailors.",
    "{A} threatened to cut gas supplies to {B} if the talks failed.",
    "\"We will not accept any threat to our sovereignty,\" {P} said in {city}.",
    "{B} arrested {number} people suspected of planning attacks, its interior ministry said.",
    "Exports of {goods} from {A} to {B} fell sharply after the border closed {day}.",
    "{A} offered {B} a loan to rebuild roads damaged by the floods.",
    "{P} will visit {B} {day2} to sign a port deal, officials said.",
    "{A} condemned the attack on its consulate in {city} and demanded an investigation.",
    "{O} warned that the fighting in {B} could spread to neighbouring countries.",
    "Negotiators from {A} and {B} agreed {day} to reopen their embassies.",
    "{A} tightened controls on exports of {goods} to {B}.",
    "{Q}, speaking in {city}, said the ceasefire between {A} and {B} was holding.",
]
HEADLINES = [
    "{A} and {B} trade accusations over {reason}",
    "{P} meets {Q} as tensions rise",
    "Talks on {topic} resume in {city}",
    "{A} imposes new sanctions on {B}",
    "{O} urges restraint after clashes",
    "{A} to host summit on {topic}",
]


def _person(rng: random.Random) -> str:
    role = rng.choice(ROLES)
    return f"{role} {rng.choice(FIRST)} {rng.choice(LAST)}"


def _fill(template: str, rng: random.Random, cast: dict[str, str]) -> str:
    a, b, c = rng.sample(cast["countries"], 3)
    p, q = rng.sample(cast["people"], 2)
    reason = rng.choice(REASONS)
    values = {
        "A": a, "B": b, "C": c, "P": p, "Q": q,
        "O": rng.choice(ORGANISATIONS), "city": rng.choice(CITIES), "day": rng.choice(DAYS),
        "day2": rng.choice(["next week", "next month", "on Friday", "in May"]),
        "topic": rng.choice(TOPICS), "reason": reason, "goods": rng.choice(GOODS),
        "reason_ing": rng.choice(["stoking", "ignoring", "exploiting", "provoking"]) + " " + reason,
        "number": rng.choice(NUMBERS),
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def article(index: int, *, seed: int = 1, sentences: tuple[int, int] = (6, 22),
            day: date = date(2025, 5, 2)) -> dict:
    """One generated article as a JSON Lines record (id, title, text, published, source, url)."""
    rng = random.Random(seed * 1_000_003 + index)
    # a few countries and people per story, as a real article keeps to its protagonists
    cast = {"countries": rng.sample(COUNTRIES, 5), "people": [_person(rng) for _ in range(3)]}
    n = rng.randint(*sentences)
    body = [_fill(rng.choice(TEMPLATES), rng, cast) for _ in range(n)]
    paragraphs, i = [], 0
    while i < len(body):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(body[i:i + size]))
        i += size
    city = rng.choice(CITIES).upper()
    text = f"{city} — " + "\n\n".join(paragraphs)
    published = day - timedelta(days=rng.randint(0, 2))
    outlet = rng.choice(OUTLETS)
    return {
        "id": f"news-{seed}-{index:06d}",
        "title": _fill(rng.choice(HEADLINES), rng, cast),
        "text": text,
        "published": published.isoformat(),
        "source": outlet,
        "url": f"https://news.example.org/{outlet.lower().replace(' ', '-')}/{index}",
    }


def articles(n: int, **kwargs) -> Iterator[dict]:
    """``n`` generated articles, streamed."""
    for index in range(n):
        yield article(index, **kwargs)


def write_jsonl(path: str, n: int | None = None, *, target_bytes: int | None = None, **kwargs) -> tuple[int, int]:
    """Write ``n`` articles (or as many as fill ``target_bytes`` of text) to ``path`` ("-": stdout).

    Returns:
        (articles, words) written.
    """
    out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")
    count = words = size = 0
    try:
        while (n is None or count < n) and (target_bytes is None or size < target_bytes):
            record = article(count, **kwargs)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
            words += len(record["text"].split())
            size += len(record["text"].encode("utf-8"))
    finally:
        if out is not sys.stdout:
            out.close()
    return count, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, help="articles to write")
    parser.add_argument("--bytes", type=int, help="or: write articles until their text reaches this size")
    parser.add_argument("--out", default="-")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sentences", type=int, nargs=2, default=(6, 22), metavar=("MIN", "MAX"))
    args = parser.parse_args()
    if args.docs is None and args.bytes is None:
        parser.error("give --docs or --bytes")
    count, words = write_jsonl(args.out, args.docs, target_bytes=args.bytes, seed=args.seed,
                               sentences=tuple(args.sentences))
    print(f"{count} articles, {words} words -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
