"""Span and surface-form lookups over extracted entities (used by quotes and the faces)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kazreader.analysis.entities.model import Entity, EntityType
from kazreader.analysis.gazetteer import gazetteer, name_key

__all__ = ["EntityLookup", "entity_at", "resolve_name"]


class EntityLookup:
    """Fast span and surface-form lookups over a list of entities."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = list(entities)
        gaz = gazetteer()
        self._gaz = gaz
        spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_surname: dict[str, list[int]] = defaultdict(list)
        for i, ent in enumerate(self.entities):
            for m in ent.mentions:
                spans[m.article].append((m.start, m.end, i))
            keys = {name_key(v) for v in (ent.name, *ent.variants)}
            for k in keys:
                if k:
                    self._by_key[k].append(i)
            if ent.type == EntityType.PERSON:
                for k in keys:
                    if " " in k:
                        self._by_surname[k.rsplit(" ", 1)[1]].append(i)
        self._spans = {a: sorted(v) for a, v in spans.items()}
        self._starts = {a: [s for s, _, _ in v] for a, v in self._spans.items()}

    def at(self, article_id: str, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)`` in the article.

        When several overlap, the one overlapping most wins (then the earliest).
        An empty span matches the mention that contains its position.
        """
        spans = self._spans.get(article_id)
        if not spans:
            return None
        end = max(end, start + 1)
        hi = bisect.bisect_left(self._starts[article_id], end)
        best, best_overlap = None, 0
        for s, e, i in spans[max(0, hi - 64):hi]:
            overlap = min(e, end) - max(s, start)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        return None if best is None else self.entities[best]

    def resolve(self, surface: str, article_id: str | None = None) -> Entity | None:
        """The entity a surface form names (``"Mr Tokayev"``, ``"the CSTO"``).

        Titles and honorifics are ignored. An exact variant match wins; a lone
        surname resolves to the unique PERSON whose name ends with it (or the
        unique one mentioned in ``article_id``). Ambiguity returns ``None``.
        """
        key = self._strip_titles(name_key(surface))
        if not key:
            return None
        found = list(self._by_key.get(key, ()))
        if " " not in key:
            found += self._by_surname.get(key, ())
        if not found:
            return None
        found = list(dict.fromkeys(found))
        if len(found) > 1 and article_id is not None:
            here = [i for i in found if article_id in self.entities[i].counts()]
            found = here or found
        if len(found) > 1:
            # A unique PERSON wins over non-persons only for person-like surfaces.
            return None
        return self.entities[found[0]]

    def _strip_titles(self, key: str) -> str:
        gaz = self._gaz
        words = key.split()
        while len(words) > 1 and (
            words[0] in gaz.honorifics
            or words[0] in gaz.titles
            or words[0] in gaz.title_modifiers
            or words[0] in gaz.demonyms
        ):
            words.pop(0)
        return " ".join(words)


_LAST_LOOKUP: list[Any] = [None, None]


def _lookup(entities: Sequence[Entity]) -> EntityLookup:
    # Reuse the lookup while the caller passes the same (unchanged) list.
    cached_for, cached = _LAST_LOOKUP
    if cached_for is entities and isinstance(cached, EntityLookup) and len(cached.entities) == len(entities):
        return cached
    lookup = EntityLookup(entities)
    _LAST_LOOKUP[:] = [entities, lookup]
    return lookup


def entity_at(entities: Sequence[Entity], article_id: str, start: int, end: int) -> Entity | None:
    """The entity whose mention covers (overlaps) ``[start, end)`` in an article."""
    return _lookup(entities).at(article_id, start, end)


def resolve_name(
    entities: Sequence[Entity], surface: str, article_id: str | None = None
) -> Entity | None:
    """The canonical entity a surface form names, or ``None`` if unknown/ambiguous."""
    return _lookup(entities).resolve(surface, article_id)


