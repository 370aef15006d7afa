"""The report: ratios the issues ask for, and a Markdown table of every stage."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]
FACES = ("search", "passages", "entities")


def _div(a: Any, b: Any) -> float | None:
    try:
        return round(float(a) / float(b), 2) if a is not None and b else None
    except (TypeError, ValueError):
        return None


def _get(r: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(r, dict) or key not in r:
            return None
        r = r[key]
    return r


def ratios(r: dict[str, Any]) -> dict[str, Any]:
    """Every ratio of issues #17/#18 that this run measured (None where a side is missing)."""
    out: dict[str, Any] = {
        "ingest_cpu / whoosh_build_cpu": _div(_get(r, "ingest", "total_cpu_s"), _get(r, "whoosh", "build_cpu_s")),
        "index_build_cpu / fts5_build_cpu": _div(_get(r, "index_build", "build_cpu_s"), _get(r, "sqlite", "build_cpu_s")),
        "index_build_cpu / tantivy_build_cpu": _div(_get(r, "index_build", "build_cpu_s"), _get(r, "tantivy", "build_cpu_s")),
        "tui_warm_first_paint / bare": _div(_get(r, "tui", "warm", "first_paint_s"), _get(r, "tui", "bare", "first_paint_s")),
        "articles_json / plain_jsonl_read": _div(_get(r, "articles_json", "articles", "wall_s"),
                                                 _get(r, "articles_json", "plain_jsonl", "wall_s")),
    }
    for kind in ("phrase", "term", "frequent_phrase"):
        for base in ("sqlite", "tantivy"):
            out[f"{kind}_p50 / {base}"] = _div(_get(r, "queries", kind, "p50_ms"), _get(r, base, kind, "p50_ms"))
    fts = {"edit": "update", "add": "add", "delete": "delete"}
    for change, op in fts.items():
        for face in (*FACES, "tui"):
            key = "all_ready_s" if face == "tui" else "wall_s"
            out[f"{change}: {face} / fts5 {op}"] = _div(_get(r, "incremental", change, face, key),
                                                       _get(r, "sqlite", op, "wall_s"))
    return out


def _ms(d: dict[str, Any] | None) -> str:
    return f"{d['p50_ms']:.1f} / {d['p95_ms']:.1f} ms" if d and "p50_ms" in d else "–"


def _s(d: dict[str, Any] | None, wall: str = "wall_s", cpu: str = "cpu_s") -> str:
    if not d or wall not in d:
        return "–" if not d or "error" not in d else f"failed: {d['error']}"
    return f"{d[wall]:.2f} s" + (f" / {d[cpu]:.2f} CPU-s" if cpu in d else "")


def ingest_rows(r: dict[str, Any]) -> list[Row]:
    ing, ix = r.get("ingest") or {}, r.get("index_build")
    wh, sq, tv = r.get("whoosh"), r.get("sqlite"), r.get("tantivy")
    rows: list[Row] = []
    if "steps_s" in ing:
        rows += _ingest_steps(ing, wh)
    if ix:
        rows.append(("index build alone (analyses cached)", _s(ix, "build_s", "build_cpu_s"),
                     f"FTS5 {_s(sq, 'build_s', 'build_cpu_s')}; tantivy {_s(tv, 'build_s', 'build_cpu_s')}", "≤ 8× FTS5 CPU"))
    for label, rep in (("re-open unchanged", r.get("reopen")), ("re-open again", r.get("reopen_again"))):
        if rep and "load_s" in rep:
            rows.append((label, f"load {rep['load_s']:.2f} s + index {rep['index_s']:.2f} s; "
                         f"+ every analysis {rep['analyses_s']:.2f} s", "", "≤ 1 s"))
    peaks = [f"{name} {r[name]['peak_mb']:.0f} (child {r[name]['peak_child_mb']:.0f})"
             for name in ("index_build", "reopen", "queries", "whoosh", "sqlite", "tantivy")
             if isinstance(r.get(name), dict) and "peak_mb" in r[name]]
    rows.append(("peak RSS of each stage process, MiB", "; ".join(peaks), "", ""))
    return rows


def _ingest_steps(ing: dict[str, Any], wh: dict[str, Any] | None) -> list[Row]:
    rows: list[Row] = [("load (files → articles)", _s(ing, "load_s", "load_cpu_s"), "", "")]
    for name, wall in ing["steps_s"].items():
        cpu = ing["steps_cpu_s"].get(name)
        peak = ing.get("steps_peak_mib", {}).get(name)
        rows.append((f"… {name}", f"{wall:.1f} s / " + (f"{cpu:.1f} CPU-s*" if cpu is not None else "CPU in its children*")
                     + (f"; its process' peak {peak} MiB" if peak else ""), "", ""))
    base = f"default Whoosh index build {_s(wh, 'build_s', 'build_cpu_s')}" if wh else ""
    rows.append(("full first ingest", f"{_s(ing, 'total_s', 'total_cpu_s')}; peak {ing['peak_mb']:.0f} MiB, "
                 f"largest child {ing['peak_child_mb']:.0f} MiB", base, "≤ 90 s, ≤ 700 MiB at 10k"))
    return rows


def query_rows(r: dict[str, Any]) -> list[Row]:
    q, rows = r.get("queries") or {}, []
    goals = {"phrase": "p50 ≤ 10 ms, p95 ≤ 60 ms", "frequent_phrase": "p50 ≤ 25 ms", "term": "p50 ≤ FTS5"}
    for kind in ("phrase", "term", "frequent_phrase", "fuzzy"):
        if kind not in q:
            continue
        base = "; ".join(f"{name} {_ms(r.get(key, {}).get(kind))}" for name, key in
                         (("Whoosh", "whoosh"), ("FTS5", "sqlite"), ("tantivy", "tantivy")) if r.get(key, {}).get(kind))
        ours = f"{_ms(q[kind])} (index alone {_ms(q[kind].get('index_only'))}; {q[kind].get('hits')} hits, first 50)"
        rows.append((f"{kind} query p50 / p95, with snippets", ours, base, goals.get(kind, "")))
    return rows


def face_rows(r: dict[str, Any]) -> list[Row]:
    tui, rows = r.get("tui") or {}, []
    bare = _get(tui, "bare", "first_paint_s")
    for kind in ("cold", "warm"):
        t = tui.get(kind) or {}
        if "first_paint_s" in t:
            rows.append((f"TUI first paint, {kind} cache", f"{t['first_paint_s']:.2f} s"
                         + (f"; all loaded {t['all_ready_s']:.2f} s, peak {t.get('peak_mb', 0):.0f} MiB" if "all_ready_s" in t else ""),
                         f"bare Textual {bare:.2f} s" if bare else "", "≤ 3× bare" if kind == "warm" else ""))
    aj = r.get("articles_json")
    if aj:
        rows.append(("`articles --json` (warm)", _s(aj["articles"]), f"plain JSONL read {_s(aj['plain_jsonl'])}", "≤ 1.2×"))
    return rows


def incremental_rows(r: dict[str, Any]) -> list[Row]:
    inc, sq, rows = r.get("incremental") or {}, r.get("sqlite") or {}, []
    fts = {"edit": "update", "add": "add", "delete": "delete"}
    for change in ("unchanged", *fts):
        step = inc.get(change)
        if not step:
            continue
        faces = "; ".join(f"{f} {_s(step.get(f))}" for f in FACES)
        t = step.get("tui") or {}
        if "all_ready_s" in t:
            faces += f"; TUI paint {t['first_paint_s']:.2f} s, all {t['all_ready_s']:.2f} s"
        base = f"FTS5 one-row {fts[change]} {_s(sq.get(fts[change]))}" if change in fts else ""
        rows.append((f"after {change}" + (f" ({step['change']})" if "change" in step else ""), faces, base, "each ≤ 2 s at 20k"))
    if "equal_to_clean" in inc:
        rows.append(("incremental == clean build (exact; without scores)",
                     f"{inc['equal_to_clean']}; {inc.get('equal_to_clean_but_scores')}", "", "all True"))
    return rows


def render(r: dict[str, Any]) -> str:
    """The report as Markdown: a head line, the table, the ratios."""
    head = (f"{r['articles']} articles of ~{r.get('words')} words, {r.get('corpus_mb')} MB on disk "
            f"({r['mode']}); {r['cpus']} CPUs, load average "
            f"{r['load_before']} before / {r['load_after']} after.\n\n")
    lines = ["| stage | kazreader (wall / CPU self+children) | baseline (same run) | goal |", "|---|---|---|---|"]
    for row in ingest_rows(r) + query_rows(r) + face_rows(r) + incremental_rows(r):
        lines.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    notes = ("\n*a step's CPU as the ingest measures it where the step ran: its process and that "
             "process' workers (entities, quotes and the index fields run in children beside the "
             "clusters, stories, figures and listing; entities+quotes is the children's wall).\n\nRatios:\n")
    rat = "\n".join(f"- {k}: {v}" for k, v in r.get("ratios", {}).items() if v is not None)
    return head + "\n".join(lines) + "\n" + notes + rat + "\n"
