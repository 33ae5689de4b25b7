#!/usr/bin/env python3
"""Scores scanners' findings against the labelled corpus of
bench/detection_corpus.py (run by bench/detection_eval.sh).

    python3 bench/detection_score.py CORPUS TOOL=FINDINGS [TOOL=FINDINGS...]

FINDINGS is a JSON file: a list of {"path": relative to CORPUS, "action":
"block"|"warn", "rule": id}. For akgate the action is its own; a peer has one
level (a finding fails the commit or the CI job), so its findings are all
"block". Prints, per tool, a table per label and provider class, then every
miss and every false block (path, setting, rules found; never a secret).

Definitions (per case = per file):
  block recall      block cases with a blocking finding / block cases
  warn recall       warn cases with any finding / warn cases
  warn over-block   warn cases with a blocking finding (policy says warn)
  pass FP           pass cases with any finding; false blocks: with a block
  precision         blocking findings on block cases / all blocking findings
                    (counted per finding, so a pair is one finding)
"""
import json
import os
import sys
from collections import defaultdict


def load(corpus):
    with open(os.path.join(corpus, "manifest.json")) as f:
        return json.load(f)["cases"]


def norm(p):
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    # a member of an archive is reported as ARCHIVE!MEMBER: the case is the archive
    return p.split("!", 1)[0]


def score(cases, findings):
    by_case = defaultdict(list)
    known = {c["path"]: c for c in cases}
    stray = []
    for f in findings:
        p = norm(f["path"])
        if p in known:
            by_case[p].append(f)
        else:
            stray.append(f)
    res = {"cases": {}, "stray": stray}
    for c in cases:
        fs = by_case.get(c["path"], [])
        level = "block" if any(f["action"] == "block" for f in fs) else ("warn" if fs else "none")
        res["cases"][c["path"]] = (c, level, fs)
    blocking = [f for f in findings if f["action"] == "block"]
    good = sum(1 for f in blocking if norm(f["path"]) in known and known[norm(f["path"])]["label"] == "block")
    res["blocking_findings"] = len(blocking)
    res["blocking_on_block_cases"] = good
    return res


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


def report(tool, res):
    rows = defaultdict(lambda: defaultdict(int))
    for c, level, fs in res["cases"].values():
        lab = c["label"]
        r = rows[lab]
        r["n"] += 1
        r[level] += 1
    b, w, p = rows["block"], rows["warn"], rows["pass"]
    out = []
    out.append("### %s" % tool)
    out.append("")
    out.append("| class | cases | blocked | warned only | not found | result |")
    out.append("|---|---:|---:|---:|---:|---|")
    out.append("| must block | %d | %d | %d | %d | recall %s (blocked); found at all %s |" % (
        b["n"], b["block"], b["warn"], b["none"], pct(b["block"], b["n"]), pct(b["block"] + b["warn"], b["n"])))
    out.append("| must warn | %d | %d | %d | %d | recall %s (reported); over-blocked %d |" % (
        w["n"], w["block"], w["warn"], w["none"], pct(w["block"] + w["warn"], w["n"]), w["block"]))
    out.append("| must pass | %d | %d | %d | %d | false blocks %d, false warnings %d |" % (
        p["n"], p["block"], p["warn"], p["none"], p["block"], p["warn"]))
    nb = res["blocking_findings"]
    out.append("")
    out.append("precision of blocking findings: %d of %d on must-block cases = %s" % (
        res["blocking_on_block_cases"], nb, pct(res["blocking_on_block_cases"], nb)))
    labelled = b["n"] + w["n"]
    found = b["block"] + w["block"] + w["warn"] + b["warn"]
    out.append("overall recall (block cases blocked + warn cases reported): %d of %d = %s" % (
        b["block"] + w["block"] + w["warn"], labelled, pct(b["block"] + w["block"] + w["warn"], labelled)))
    del found
    # per provider of must-block cases
    prov = defaultdict(lambda: [0, 0])
    for c, level, fs in res["cases"].values():
        if c["label"] == "block":
            prov[c["provider"]][0] += 1
            prov[c["provider"]][1] += level == "block"
    missed = sorted(k for k, v in prov.items() if v[1] < v[0])
    out.append("must-block providers: %d, all cases blocked for %d; with a miss: %s" % (
        len(prov), len(prov) - len(missed), ", ".join("%s (%d/%d)" % (k, prov[k][1], prov[k][0]) for k in missed) or "none"))
    out.append("")
    lines = []
    for c, level, fs in sorted(res["cases"].values(), key=lambda x: x[0]["path"]):
        rules = ",".join(sorted(set(f["rule"] for f in fs))) or "-"
        lab = c["label"]
        bad = ((lab == "block" and level != "block") or (lab == "warn" and level != "warn")
               or (lab == "pass" and level != "none"))
        if bad:
            lines.append("  %-5s got %-5s %s [%s] found: %s" % (lab, level, c["path"], c["setting"], rules))
    if res["stray"]:
        lines.append("  findings outside the corpus cases: %d" % len(res["stray"]))
    out.append("misses and false findings (%d):" % len(lines))
    out.extend(lines or ["  none"])
    out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus = sys.argv[1]
    cases = load(corpus)
    summary = []
    for arg in sys.argv[2:]:
        tool, path = arg.split("=", 1)
        with open(path) as f:
            findings = json.load(f)
        res = score(cases, findings)
        print(report(tool, res))
        rows = defaultdict(lambda: defaultdict(int))
        for c, level, fs in res["cases"].values():
            rows[c["label"]]["n"] += 1
            rows[c["label"]][level] += 1
        b, w, p = rows["block"], rows["warn"], rows["pass"]
        if os.environ.get("DETECTION_SCORE_TOTALS"):
            with open(os.environ["DETECTION_SCORE_TOTALS"], "a") as t:
                t.write("%s %d %d %d %d %d %d %d %d %d %d\n" % (
                    tool, b["n"], b["block"], w["n"], w["warn"] + w["block"], w["block"],
                    p["n"], p["block"], p["block"] + p["warn"], res["blocking_on_block_cases"], res["blocking_findings"]))
        summary.append("| %s | %s (%d/%d) | %s (%d/%d) | %d | %d/%d | %s (%d/%d) |" % (
            tool, pct(b["block"], b["n"]), b["block"], b["n"],
            pct(w["warn"] + w["block"], w["n"]), w["warn"] + w["block"], w["n"], w["block"],
            p["block"], p["block"] + p["warn"],
            pct(res["blocking_on_block_cases"], res["blocking_findings"]),
            res["blocking_on_block_cases"], res["blocking_findings"]))
    print("### Summary (corpus: %d cases)" % len(cases))
    print("")
    print("| tool | must-block recall (blocked) | must-warn recall (reported) | warn cases blocked | must-pass: blocked/reported | precision of blocking findings |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
