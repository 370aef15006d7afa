"""Build kazreader/analysis/data/given_names.tsv from Faker's person providers (MIT)."""
import importlib, pkgutil, re, unicodedata, collections, sys
import faker, faker.providers.person as P
latin = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ'’\-]+$")
seen = collections.defaultdict(lambda: collections.Counter())
origins = collections.defaultdict(set)
for m in pkgutil.iter_modules(P.__path__):
    mod = importlib.import_module(f"faker.providers.person.{m.name}")
    prov = mod.Provider
    # (romanised given names too, where a locale lists them by gender: ja_JP's "Kaori", "Hiroshi")
    for attr, g in (("first_names_male", "m"), ("first_names_female", "f"),
                    ("first_romanized_names_male", "m"), ("first_romanized_names_female", "f")):
        names = getattr(prov, attr, None)
        if not names:
            continue
        for n in (names.keys() if isinstance(names, dict) else names):
            for part in str(n).split():
                if not latin.match(part) or len(part) < 2 or not part[0].isupper():
                    continue
                seen[part][g] += 1
                origins[part].add(m.name)
out = []
for n in sorted(seen):
    c = seen[n]
    g = "m" if c["m"] and not c["f"] else "f" if c["f"] and not c["m"] else "u"
    out.append(f"{n}\t{g}")
hdr = f"""# Given names with the gender their source lists them under (m, f, or u when listed as both).
# Source: Faker {faker.VERSION} (https://github.com/joke2k/faker), faker/providers/person/*/__init__.py,
# first_names_male and first_names_female of its {len(list(pkgutil.iter_modules(P.__path__)))} locales (and the romanised ones where a
# locale lists them by gender), Latin-script names only.
# Licence: MIT (Copyright (c) 2012 Daniele Faraglia). Regenerate with tools/make_given_names.py.
"""
sys.stdout.write(hdr + "\n".join(out) + "\n")
