"""Reprinted texts among the banal n-grams: a wire story run by many outlets is reuse, not a stock phrase.

The banality filter (:mod:`~kazreader.analysis.reuse_banality`) sets aside
every n-gram carried by :func:`~kazreader.analysis.reuse_banality.banal_threshold`
articles or more (at least 25). In a corpus of one event that also sets aside
the reuse the reader opened it for: an agency story run word for word by
thirty outlets has every n-gram carried by thirty articles, so it proposed
no candidate pair, its links counted as banal and its cluster as too large.
Which banal n-grams are a *reprinted text* is told by who carries them, taken
together rather than one n-gram at a time:

* a **stock phrase** is short: a nine-word phrase ("did not immediately
  respond to a request for comment") holds five n-grams, a title with a
  name two ("white house press secretary sean spicer"), and the phrases
  around it are carried by other articles;
* **boilerplate** can be long (a site's newsletter box, a magazine's list of
  countries under every article: 374 n-grams carried by the same 12 articles
  of abp-10k) but it is *one site's*: its carriers are that site's articles;
* a **reprinted text** is long, its n-grams are carried by nearly the same
  articles (the copies: near-duplicates over the text, whatever each outlet
  added around it or edited in it), and those come from many sites.

So :func:`find_reprints` groups the banal n-grams by their carriers: each
distinct carrier set, the sets carrying most n-grams first, joins the group
whose first set (its *seed*) shares the most carriers with it, when the two
have at least :data:`REPRINT_SAME_CARRIERS` of their articles in common
(Jaccard), and seeds a new group otherwise. Copies edited one word here and
there make many slightly different sets (the n-grams an edit touches lack
that copy), all near the seed; outlets that cut the story short make subsets
of it (four fifths of it join it, a smaller one is a text of its own, long
enough or not). A group of at least :data:`REPRINT_MIN_NGRAMS` n-grams whose carriers
no one site holds half of (:func:`site_of`: the URL's site, else the outlet;
articles of unknown site count as one site, so that a corpus without
metadata keeps every long text banal) is a reprinted text. Its n-grams are
ordinary again: they propose candidate pairs and do not make a link banal,
and a cluster holding at least the threshold's number of its carriers is not
dropped as too large (see :mod:`kazreader.analysis.clusters`).

Everything is computed from the banal n-grams with their carriers and from
the articles' sites, each time: an incremental build, whose candidate pass
gives the same banal n-grams and carriers, finds the same reprints.

Measured on abp-10k (10,000 articles of hundreds of outlets): at its own
threshold (50) the largest group of several sites holds 2 n-grams (a title
and a name), at 25 (921 banal n-grams) 4 ("the national institute of allergy
and infectious diseases"). At a threshold of 8 (7,602 banal n-grams), one
site's furniture makes the largest groups (374 n-grams of Time under 12
articles, 107 of The Flip Side, 61 of National Review filed under four
outlet names) and stays banal; the one group of several sites that reaches
:data:`REPRINT_MIN_NGRAMS` is quotation (206 n-grams: the 2016 candidates'
announcements, quoted and recapped by 35 articles of CNN, Fox News,
Politico, The Washington Times and 8 other sites).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kazreader.corpus.model import Article
from kazreader.urls import url_host

__all__ = ["REPRINT_MIN_NGRAMS", "REPRINT_SAME_CARRIERS", "Reprint", "find_reprints", "site_of"]

#: Banal n-grams a reprinted text holds at least: some 34 identical words, a
#: paragraph of agency copy. Six times a nine-word stock phrase (5 n-grams),
#: over twice what several sites print by routine (an agency's copyright and
#: redistribution notice, 18 words: 13; a newsletter or reCAPTCHA notice: 11
#: and 12), and seven times the largest group of several sites in abp-10k at a
#: threshold of 25 (4, a name: see the module docstring).
REPRINT_MIN_NGRAMS = 30
#: Share of their articles (Jaccard) two carrier sets have in common for their
#: n-grams to be one text: four in five. The sets of copies edited a word here
#: and there differ by one or two of forty (0.95), a paragraph a fifth of the
#: outlets cut stays in; a passage two reprinted stories share (a quotation
#: both carry) is carried by both stories' copies, so that it joins neither
#: unless one was reprinted four times as widely as the other (in a corpus of
#: eight stories reprinted by 40 outlets each, a half put two of them, which
#: share a 13-word name and title, in one group, and so in one cluster).
REPRINT_SAME_CARRIERS = 0.8


@dataclass(frozen=True, slots=True)
class Reprint:
    """A reprinted text: its banal n-grams and the documents that carry any of them."""

    ngrams: frozenset[int]
    carriers: frozenset[int]


def site_of(article: Article) -> str | None:
    """The site an article comes from: its URL's domain (``cnn.com`` for ``money.cnn.com``,
    ``bbc.co.uk``), else its outlet, case-folded; ``None`` when neither is known.

    The URL comes first because outlet labels can name writers: abp-10k files National
    Review's columns under "Victor Hanson", "Rich Lowry" and "Guest Writer - Right", and its
    membership box is carried by all of them. (The loader's table of known outlets is not
    used: importing it would tie the clusters' cache to the corpus cleaner's code.)
    """
    site = _domain(article.url) if article.url else None
    site = site or article.outlet
    return site.casefold() if site else None


#: Second-level labels under which a country's sites are registered (``bbc.co.uk``).
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "net", "org", "or", "ne", "go"})


def _domain(url: str) -> str | None:
    """The registered domain of a URL: its host's last two labels, three under a country's
    second-level label; ``None`` when there is no dotted host."""
    host = url_host(url)
    if host is None:
        return None
    labels = host.rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def find_reprints(
    banal: Mapping[int, Sequence[int]],
    site: Callable[[int], str | None],
    *,
    min_ngrams: int = REPRINT_MIN_NGRAMS,
    same_carriers: float = REPRINT_SAME_CARRIERS,
) -> list[Reprint]:
    """The reprinted texts among the *banal* n-grams (n-gram → its carriers, document numbers)
    of a corpus whose document ``d`` comes from ``site(d)`` (see the module docstring; asked
    only about the carriers of long groups), in a stable order.

    A pure function of its arguments: neither the order of *banal* nor that of each n-gram's
    carriers matters.
    """
    if len(banal) < min_ngrams:
        return []
    by_carriers: dict[tuple[int, ...], list[int]] = {}
    for h, docs in banal.items():
        by_carriers.setdefault(tuple(sorted(docs)), []).append(h)
    seeds: list[tuple[int, ...]] = []
    groups: list[list[tuple[int, ...]]] = []
    seeds_of: dict[int, list[int]] = {}  # document -> the groups whose seed it carries
    for carriers in sorted(by_carriers, key=lambda c: (-len(by_carriers[c]), c)):
        shared: Counter[int] = Counter()
        for d in carriers:
            shared.update(seeds_of.get(d, ()))
        best = max(
            ((n / (len(carriers) + len(seeds[g]) - n), -g) for g, n in shared.items()), default=None
        )
        if best is not None and best[0] >= same_carriers:
            groups[-best[1]].append(carriers)
            continue
        for d in carriers:
            seeds_of.setdefault(d, []).append(len(seeds))
        seeds.append(carriers)
        groups.append([carriers])
    found: list[Reprint] = []
    for sets in groups:
        ngrams = frozenset(h for s in sets for h in by_carriers[s])
        if len(ngrams) < min_ngrams:
            continue
        held = frozenset(d for s in sets for d in s)
        largest = max(Counter(map(site, held)).values())
        if 2 * largest < len(held):
            found.append(Reprint(ngrams, held))
    return found
