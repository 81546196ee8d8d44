"""Turn a country shapefile into the compact world map kg ships (kg/geodata/world.json).

Run once when the shapes change, not at run time::

    python -m kg.export.worldshapes naturalearth_lowres.shp kg/geodata/world.json

The source is Natural Earth's 1:110m admin-0 countries (public domain) as shipped in the
geopandas 0.14 wheel (``geopandas/datasets/naturalearth_lowres``). Coordinates are rounded to
a tenth of a degree and stored as integers; repeated points, rings that collapse and
Antarctica are left out, which keeps the file near 100 kB. Each country keeps its ISO 3166-1
codes, its name and a label point (the centre of its largest ring's bounding box nudged to
the ring's centroid), which also serves as the country's coordinates for event places.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any, Iterable

import pycountry

from kg.errors import KGError
from kg.files import atomic_write

SCALE = 10  # stored integer = degrees * SCALE
SOURCE = "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (via geopandas 0.14 naturalearth_lowres)"
LICENCE = "public domain (Natural Earth terms of use: https://www.naturalearthdata.com/about/terms-of-use/)"
_LEFT_OUT = {"ATA"}  # Antarctica: a wide band at the bottom of an equirectangular map


def quantise(ring: Iterable[tuple[float, float]]) -> list[int]:
    """A ring as flat ``[lon, lat, lon, lat, ...]`` integers, repeated points dropped.

    Example:
        >>> quantise([(30.52, 50.45), (30.54, 50.46), (31.0, 50.0)])
        [305, 505, 310, 500]
    """
    out: list[int] = []
    for lon, lat in ring:
        x, y = round(lon * SCALE), round(lat * SCALE)
        if out[-2:] != [x, y]:
            out += [x, y]
    if len(out) > 2 and out[:2] == out[-2:]:
        out = out[:-2]  # the closing point repeats the first
    return out


def ring_area(flat: list[int]) -> float:
    """Signed shoelace area of a flat integer ring (in squared stored units)."""
    xs, ys = flat[0::2], flat[1::2]
    n = len(xs)
    return 0.5 * sum(xs[i] * ys[(i + 1) % n] - xs[(i + 1) % n] * ys[i] for i in range(n))


def label_point(flat: list[int]) -> tuple[float, float]:
    """Centroid of a ring in degrees (lon, lat), the bounding-box centre for degenerate rings."""
    area = ring_area(flat)
    xs, ys = flat[0::2], flat[1::2]
    n = len(xs)
    if abs(area) < 1e-9:
        return (min(xs) + max(xs)) / 2 / SCALE, (min(ys) + max(ys)) / 2 / SCALE
    cx = cy = 0.0
    for i in range(n):
        j = (i + 1) % n
        cross = xs[i] * ys[j] - xs[j] * ys[i]
        cx += (xs[i] + xs[j]) * cross
        cy += (ys[i] + ys[j]) * cross
    return round(cx / (6 * area) / SCALE, 2), round(cy / (6 * area) / SCALE, 2)


def _codes(iso3: str, name: str) -> tuple[str, str] | None:
    """(alpha-3, alpha-2) of a country; Natural Earth writes -99 where ISO has no code."""
    country = pycountry.countries.get(alpha_3=iso3) if iso3 and iso3 != "-99" else None
    if country is None:
        try:
            country = pycountry.countries.lookup(name)
        except LookupError:
            return ("XKX", "XK") if name == "Kosovo" else None
    return country.alpha_3, country.alpha_2


def _parts(shape: Any) -> list[list[tuple[float, float]]]:
    bounds = list(shape.parts) + [len(shape.points)]
    return [shape.points[a:b] for a, b in zip(bounds, bounds[1:])]


def to_world(records: Iterable[tuple[dict[str, Any], Any]]) -> dict[str, Any]:
    """The world map document from ``(attributes, shape)`` pairs of a Natural Earth shapefile."""
    countries = []
    for attrs, shape in records:
        codes = _codes(str(attrs.get("iso_a3", "")), str(attrs.get("name", "")))
        if codes is None or codes[0] in _LEFT_OUT:
            continue
        rings = [r for r in (quantise(p) for p in _parts(shape)) if len(r) >= 6 and ring_area(r) != 0]
        if not rings:
            continue
        largest = max(rings, key=lambda r: abs(ring_area(r)))
        lon, lat = label_point(largest)
        countries.append({"iso3": codes[0], "iso2": codes[1], "name": str(attrs["name"]),
                          "lon": lon, "lat": lat, "rings": rings})
    countries.sort(key=lambda c: c["iso3"])
    return {"source": SOURCE, "licence": LICENCE, "scale": SCALE, "countries": countries}


def convert(source: str | Path, target: str | Path) -> int:
    """Read the shapefile ``source`` and write the world map JSON to ``target``.

    Returns:
        The number of countries written.
    """
    try:
        import shapefile  # pyshp, needed only to rebuild the shipped map
    except ImportError as error:
        raise KGError("rebuilding the world map needs pyshp (pip install pyshp)") from error
    try:
        reader = shapefile.Reader(str(source))
        records = [(sr.record.as_dict(), sr.shape) for sr in reader.iterShapeRecords()]
        reader.close()
    except (OSError, struct.error, shapefile.ShapefileException) as error:
        raise KGError(f"{source}: not a readable shapefile ({error})") from error
    world = to_world(records)
    text = json.dumps(world, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write(Path(target), lambda out: out.write(text))
    return len(world["countries"])


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    if len(sys.argv) != 3:
        sys.exit("usage: python -m kg.export.worldshapes SOURCE.shp TARGET.json")
    print(convert(sys.argv[1], sys.argv[2]), "countries")
