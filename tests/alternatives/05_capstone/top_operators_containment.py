# exercise: capstone_top_operators
# why: no stack: finds each operator's parent and each allocation's owner by searching the
# operators of its thread that are running at that moment
def top_operators(trace_path: str | Path, k: int = 5) -> dict[str, list[tuple[str, float]]]:
    """The operators of a Chrome trace with the most self time and the most allocated bytes."""
    with open(trace_path) as f:
        events = json.load(f)["traceEvents"]
    ops = [e for e in events if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
    threads = {}
    for o in ops:
        threads.setdefault((o["pid"], o["tid"]), []).append(o)

    def innermost(thread, ts, before=None):
        best = None
        for o in threads.get(thread, []):
            if not o["ts"] <= ts < o["ts"] + o["dur"] or o is before:
                continue
            if before is not None and (o["ts"], -o["dur"]) >= (before["ts"], -before["dur"]):
                continue
            if best is None or (o["ts"], -o["dur"]) > (best["ts"], -best["dur"]):
                best = o
        return best

    self_time, alloc = {}, {}
    for o in ops:
        self_time[o["name"]] = self_time.get(o["name"], 0.0) + o["dur"]
    for o in ops:
        parent = innermost((o["pid"], o["tid"]), o["ts"], before=o)
        if parent is not None:
            self_time[parent["name"]] -= o["dur"]
    for e in events:
        if e.get("name") == "[memory]" and e["args"]["Bytes"] > 0:
            owner = innermost((e.get("pid"), e.get("tid")), e["ts"])
            if owner is not None:
                alloc[owner["name"]] = alloc.get(owner["name"], 0) + e["args"]["Bytes"]
    rank = lambda d: sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:k]  # noqa: E731
    return {"self_time_us": rank(self_time), "alloc_bytes": rank(alloc)}
