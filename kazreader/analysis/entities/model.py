"""The result types of entity extraction: :class:`Mention`, :class:`MentionList`, :class:`Entity`."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kazreader.jsonout import dumps_indented, span_lists_indented

__all__ = ["ENTITY_TYPES", "VERSION", "Entity", "EntityType", "Mention", "MentionList"]


class EntityType(StrEnum):
    """What an entity is (compares equal to its name: ``EntityType.PERSON == "PERSON"``)."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"
    OTHER = "OTHER"


#: Bump when the output of :func:`extract_entities` (or its cache form) changes.
VERSION = 6

#: The entity types, in the order ties are broken.
ENTITY_TYPES: tuple[str, ...] = tuple(EntityType)


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity: ``article.text[start:end] == text``."""

    article: str
    start: int
    end: int
    text: str
    #: The title or role written before the name, kept out of it ("Special Counsel").
    role: str | None = None


class MentionList(Sequence[Mention]):
    """An entity's mentions, stored compactly and grouped by article.

    A sequence of :class:`Mention` built on demand from one array of offsets:
    about 16 bytes a mention instead of ~130 for a tuple of objects (20,000
    articles: 5,700 entities, 150 MB less in every process that holds them).
    Each mention's text is ``texts[article][start:end]`` when the article
    texts are given, else the entity's *name*. Compares equal to any sequence
    of the same mentions.
    """

    __slots__ = ("_arts", "_bounds", "_offsets", "_name", "_texts", "_roles")

    def __init__(
        self,
        spans: Mapping[str, Iterable[Sequence[int]]],
        name: str,
        texts: Mapping[str, str] | None = None,
    ) -> None:
        self._arts = tuple(spans)
        self._offsets = array("q")
        bounds = [0]
        for art in self._arts:
            for start, end in spans[art]:
                self._offsets.append(int(start))
                self._offsets.append(int(end))
            bounds.append(len(self._offsets) // 2)
        self._bounds = array("q", bounds)
        self._name = name
        self._texts = texts
        self._roles: dict[tuple[str, int], str] = {}

    def with_roles(self, roles: Mapping[tuple[str, int], str]) -> MentionList:
        """Attach roles, keyed by ``(article, start)`` of the mention they precede."""
        self._roles = dict(roles)
        return self

    def roles(self) -> dict[tuple[str, int], str]:
        """The role of every mention that has one, keyed by ``(article, start)``."""
        return dict(self._roles)

    @classmethod
    def from_flat(
        cls, articles: Sequence[str], counts: Sequence[int], offsets: array[int], name: str,
        texts: Mapping[str, str] | None = None,
    ) -> MentionList:
        """Rebuild from :meth:`flat` output (``counts[k]`` mentions in ``articles[k]``)."""
        if len(articles) != len(counts) or len(offsets) != 2 * sum(counts) or min(counts, default=1) < 1:
            raise ValueError("inconsistent mention list")
        self = cls({}, name, texts)
        self._arts = tuple(articles)
        bounds = array("q", [0])
        for n in counts:
            bounds.append(bounds[-1] + n)
        self._bounds = bounds
        self._offsets = offsets
        return self

    def flat(self) -> tuple[list[str], list[int], array[int]]:
        """``(articles, mentions per article, [start, end, start, end, …])``."""
        b = self._bounds
        return list(self._arts), [b[k + 1] - b[k] for k in range(len(self._arts))], self._offsets

    @classmethod
    def of(cls, mentions: Iterable[Mention], name: str, texts: Mapping[str, str] | None = None) -> MentionList:
        """The mentions (already grouped by article) as a compact list."""
        spans: dict[str, list[tuple[int, int]]] = {}
        roles: dict[tuple[str, int], str] = {}
        for m in mentions:
            spans.setdefault(m.article, []).append((m.start, m.end))
            if m.role:
                roles[(m.article, m.start)] = m.role
        return cls(spans, name, texts).with_roles(roles)

    def _mention(self, art: str, j: int) -> Mention:
        start, end = self._offsets[2 * j], self._offsets[2 * j + 1]
        text = self._texts.get(art) if self._texts is not None else None
        role = self._roles.get((art, start)) if self._roles else None
        return Mention(art, start, end, text[start:end] if text is not None else self._name, role)

    def __len__(self) -> int:
        return len(self._offsets) // 2

    def __iter__(self) -> Iterator[Mention]:
        bounds = self._bounds
        for k, art in enumerate(self._arts):
            for j in range(bounds[k], bounds[k + 1]):
                yield self._mention(art, j)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("mention index out of range")
        k = bisect.bisect_right(self._bounds, i) - 1
        return self._mention(self._arts[k], i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"MentionList({len(self)} mentions in {len(self._arts)} articles)"

    def _slot(self, article_id: str) -> int:
        # (a scan of the article ids in C: cheaper than a dict per entity)
        try:
            return self._arts.index(article_id)
        except ValueError:
            return -1

    def in_article(self, article_id: str) -> list[Mention]:
        """The mentions in one article, in text order (no mention of another article is built)."""
        k = self._slot(article_id)
        if k < 0:
            return []
        return [self._mention(article_id, j) for j in range(self._bounds[k], self._bounds[k + 1])]

    def count_in(self, article_id: str) -> int:
        """How many mentions one article has."""
        k = self._slot(article_id)
        return 0 if k < 0 else self._bounds[k + 1] - self._bounds[k]

    def counts(self) -> dict[str, int]:
        """Number of mentions per article id, in first-mention order."""
        b = self._bounds
        return {art: b[k + 1] - b[k] for k, art in enumerate(self._arts)}

    def role_rows(self) -> list[list[Any]]:
        """``[article, start, role]`` of every mention that has a role, in mention order
        (no mention object is built; most entities have no role at all)."""
        roles = self._roles
        if not roles:
            return []
        offs, b = self._offsets, self._bounds
        out: list[list[Any]] = []
        for k, art in enumerate(self._arts):
            for j in range(b[k], b[k + 1]):
                role = roles.get((art, offs[2 * j]))
                if role:
                    out.append([art, offs[2 * j], role])
        return out

    def spans(self) -> dict[str, list[list[int]]]:
        """``[start, end]`` of every mention, per article id."""
        offs, b = self._offsets.tolist(), self._bounds
        pairs = [offs[i:i + 2] for i in range(0, len(offs), 2)]  # (one loop per entity, a slice per article)
        return {art: pairs[b[k]:b[k + 1]] for k, art in enumerate(self._arts)}


#: Where :meth:`Entity.json_text` writes the spans, in the text of its record with a 0 for them.
_SPANS_HOLE = '"spans": 0,\n  "role": '


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place, merged across every article."""

    name: str
    type: str
    variants: tuple[str, ...]
    #: A :class:`MentionList` (compact) or any sequence of :class:`Mention`.
    mentions: Sequence[Mention]
    #: Distinct roles written before its mentions, most frequent first.
    roles: tuple[str, ...] = ()

    @property
    def role(self) -> str | None:
        """The role most often written before the name ("Secretary of State"), if any."""
        return self.roles[0] if self.roles else None

    def counts(self) -> dict[str, int]:
        """Number of mentions per article id (articles in first-mention order)."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.counts()
        out: dict[str, int] = {}
        for m in self.mentions:
            out[m.article] = out.get(m.article, 0) + 1
        return out

    def spans(self) -> dict[str, list[list[int]]]:
        """``[start, end]`` of every mention, per article id."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.spans()
        out: dict[str, list[list[int]]] = {}
        for m in self.mentions:
            out.setdefault(m.article, []).append([m.start, m.end])
        return out

    def count_in(self, article_id: str) -> int:
        """How many times one article mentions the entity."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.count_in(article_id)
        return sum(1 for m in self.mentions if m.article == article_id)

    def mentions_in(self, article_id: str) -> list[Mention]:
        """The mentions in one article, in text order."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.in_article(article_id)
        return sorted((m for m in self.mentions if m.article == article_id), key=lambda m: m.start)

    def to_json(self) -> dict[str, Any]:
        """The ``entities --json`` record (plus ``spans``)."""
        return self._record(self.spans())

    def _record(self, spans: Any) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "variants": list(self.variants),
            "mentions": self.counts(),
            "spans": spans,
            "role": self.role,
            "roles": list(self.roles),
            "mention_roles": self._role_rows(),
        }

    def json_text(self) -> str:
        """``dumps_indented(self.to_json())``, byte for byte, its spans written from the flat offsets
        (a list per mention and its layout were half of ``entities --json`` at 20,000 articles)."""
        if not isinstance(self.mentions, MentionList):
            return dumps_indented(self.to_json())
        arts, counts, offsets = self.mentions.flat()
        # (a 0 where the spans go, found with the next key at the record's own indentation: an
        # encoded string holds no bare quote or newline, and the mentions are indented deeper)
        return dumps_indented(self._record(0)).replace(
            _SPANS_HOLE, '"spans": ' + span_lists_indented(arts, counts, offsets.tolist(), 1) + _SPANS_HOLE[10:], 1
        )

    def _role_rows(self) -> list[list[Any]]:
        if isinstance(self.mentions, MentionList):
            return self.mentions.role_rows()
        return [[m.article, m.start, m.role] for m in self.mentions if m.role]

    def to_cache(self) -> list[Any]:
        """A compact JSON form for the analysis cache (offsets as one string of numbers).

        A 20,000-article corpus has ~450,000 mentions: as ``[start, end]``
        lists, reading them back briefly took 100 MB; as one string per
        entity, next to nothing.
        """
        mentions = self.mentions if isinstance(self.mentions, MentionList) else MentionList.of(self.mentions, self.name)
        arts, counts, offsets = mentions.flat()
        roles = [[a, s, r] for (a, s), r in mentions.roles().items()]
        return [self.name, self.type, list(self.variants), arts, counts, " ".join(map(str, offsets)),
                list(self.roles), roles]

    @classmethod
    def from_cache(cls, raw: list[Any], texts: Mapping[str, str] | None = None) -> Entity:
        """Rebuild an entity from :meth:`to_cache` output."""
        name, typ, variants, arts, counts, offsets = raw[:6]
        mentions = MentionList.from_flat(arts, counts, array("q", map(int, offsets.split())), name, texts)
        roles: list[str] = raw[6] if len(raw) > 6 else []
        if len(raw) > 7:
            mentions.with_roles({(a, int(s)): r for a, s, r in raw[7]})
        return cls(name, typ, tuple(variants), mentions, tuple(roles))

    @classmethod
    def from_json(cls, d: dict[str, Any], texts: dict[str, str] | None = None) -> Entity:
        """Rebuild an entity from :meth:`to_json` output.

        Mention texts are not stored; pass ``texts`` (article id -> text) to
        restore them, otherwise each mention's text is the entity name.
        """
        spans = d.get("spans", {})
        if not isinstance(spans, dict):
            raise TypeError("spans must map article ids to [start, end] lists")
        mentions = MentionList(spans, d["name"], texts)
        mentions.with_roles({(a, int(s)): r for a, s, r in d.get("mention_roles", ())})
        return cls(d["name"], d["type"], tuple(d.get("variants", ())), mentions, tuple(d.get("roles", ())))


