"""People, organisations and places named in a corpus, with their variants merged.

Rule-based and offline (no model download). The package, in pipeline order:

* :mod:`.scanning` -- capitalised runs, cleaned: connectors inside names
  (``U.S. Customs and Border Protection``), titles split off as the mention's
  *role* (``Special Counsel Robert Mueller``), headlines read as headlines;
* :mod:`.cues` -- the cue tables (word lists from ``data/lexicon.txt``, the
  words before and after a name);
* :mod:`.evidence` -- typing from evidence: gazetteers (known names, GeoNames
  places, given names), name shapes and context, scored per type;
* :mod:`.merging` -- groups by name key, pooled types, unions (aliases,
  acronyms in any case, spellings, middle initials and nicknames);
* :mod:`.namesakes` -- when nickname variants of a shared surname name one
  person (Rob Ford, Robert Ford: two);
* :mod:`.surnames` -- a bare surname joins the full name its article means;
* :mod:`.short_forms` -- a company's bare name joins the company its article names ("Boeing Co.");
* :mod:`.lookup` -- which entity a span or a surface form names;
* :mod:`.model` -- :class:`Mention`, :class:`MentionList`, :class:`Entity`.

Demonyms (``Kazakh``, ``Russian``) are adjectives, not mentions of the place:
they are never entities (``Russian Foreign Ministry`` is still an ORG).
"""

from __future__ import annotations

from kazreader.analysis.entities.extract import extract_entities
from kazreader.analysis.entities.lookup import EntityLookup, entity_at, resolve_name
from kazreader.analysis.entities.model import ENTITY_TYPES, VERSION, Entity, EntityType, Mention, MentionList

__all__ = [
    "ENTITY_TYPES",
    "VERSION",
    "Entity",
    "EntityLookup",
    "EntityType",
    "Mention",
    "MentionList",
    "entity_at",
    "extract_entities",
    "resolve_name",
]
