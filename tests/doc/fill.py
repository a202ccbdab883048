# SPDX-License-Identifier: Apache-2.0
"""Fill an attest-doc template with an example record (tests/doc/run.sh).

  fill.py TEMPLATE EXAMPLE OUT

Every "<REQUIRED: ...>" or "<OPTIONAL: ...>" placeholder of TEMPLATE takes
the example's value at the same path; a placeholder the example lacks is
deleted (an optional member left out); a whole object or array that ends
up empty is deleted too.  Members the template does not have are still
copied from the example (so OUT must check exactly like EXAMPLE), but each
is named on standard error and the exit status is 1: a zero exit proves the
template names every field the example uses.  Prints the count of
placeholders filled, deleted, and members the template lacked.
"""
import json
import sys

MISSING = object()
stats = {"filled": 0, "deleted": 0, "added": 0}
lacked = []


def is_placeholder(v):
    return isinstance(v, str) and (v.startswith("<REQUIRED") or
                                   v.startswith("<OPTIONAL"))


def fill(t, e, path=""):
    if is_placeholder(t):
        if e is MISSING:
            stats["deleted"] += 1
            return MISSING
        stats["filled"] += 1
        return e
    if isinstance(t, dict):
        out = {}
        ex = e if isinstance(e, dict) else {}
        for k, v in t.items():
            r = fill(v, ex.get(k, MISSING), path + "." + k)
            if r is not MISSING:
                out[k] = r
        for k, v in ex.items():
            if k not in t:
                stats["added"] += 1
                lacked.append((path + "." + k)[1:])
                out[k] = v
        if not out and e is MISSING:
            return MISSING
        return out
    if isinstance(t, list):
        ex = e if isinstance(e, list) else []
        if e is MISSING and any(is_placeholder(x) or isinstance(x, (dict, list))
                                for x in t):
            fill(t[0], MISSING) if t else None
            return MISSING
        if ex and t and (is_placeholder(t[0]) or isinstance(t[0], dict)):
            return [fill(t[0], x, path + "[]") if isinstance(t[0], dict)
                    else x
                    for x in ex]
        return ex if e is not MISSING else t
    return e if e is not MISSING else t


def main():
    t = json.load(open(sys.argv[1]))
    e = json.load(open(sys.argv[2]))
    out = fill(t, e)
    json.dump(out, open(sys.argv[3], "w"), indent=2, ensure_ascii=False)
    print("filled %(filled)d deleted %(deleted)d added %(added)d" % stats)
    for p in lacked:
        print("fill.py: %s: %s: not in the template" % (sys.argv[1], p),
              file=sys.stderr)
    return 1 if lacked else 0


if __name__ == "__main__":
    sys.exit(main())
