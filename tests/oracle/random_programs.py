#!/usr/bin/env python3
# Random DSL programs (topology files) for a differential check of the C++ DSL against the oracle:
#   python3 tests/oracle/random_programs.py OUTDIR FIRST_SEED COUNT
# writes OUTDIR/p<seed>.topology.json; then run oracle.sh describe-all and streams-describe on each and
# compare (tests/oracle/README.md). Deterministic per seed. tests/differential/random_run.py imports gen()
# and runs the same programs on both sides (with inputs fitted to their source topics).
import json, random, sys
def gen(seed):
    r = random.Random(seed)
    pipelines = []
    streams, tables, grouped = [], [], []
    n = 0
    def new(prefix):
        nonlocal n; n += 1; return f"{prefix}{n}"
    def maybe_name(p=0.3):
        return {"name": new("n-")} if r.random() < p else {}
    def mat(p=0.3):
        if r.random() < p:
            return {"materialized": ({"as": new("store-")} if r.random() < 0.6 else {})}
        return {}
    # sources
    for i in range(r.randint(1, 3)):
        nm = new("s"); pipelines.append({"source": dict({"stream": f"topic-{nm}"}, **({"name": new("src-")} if r.random()<0.2 else {})), "as": nm}); streams.append(nm)
    for i in range(r.randint(0, 2)):
        nm = new("t"); src = {"table": f"topic-{nm}"}
        if r.random() < 0.5: src["materialized"] = {"as": new("tstore-")}
        pipelines.append({"source": src, "as": nm}); tables.append(nm)
    globals_ = []
    if r.random() < 0.3:
        nm = new("g"); src = {"globalTable": f"topic-{nm}"}
        if r.random() < 0.5: src["materialized"] = {"as": new("gstore-")}
        pipelines.append({"source": src, "as": nm}); globals_.append(nm)
    for step in range(r.randint(2, 7)):
        kind = r.random()
        if kind < 0.55 and streams:
            s = r.choice(streams)
            ops = []
            for k in range(r.randint(1, 3)):
                o = r.choice(["filter", "mapValues", "selectKey", "map", "peek", "flatMapValues", "processValues", "process", "repartition", "merge", "join-s", "join-t", "split", "join-g"])
                if o == "filter": ops.append(dict({"op": "filter", "predicate": "."}, **maybe_name()))
                elif o == "mapValues": ops.append(dict({"op": "mapValues", "mapper": "."}, **maybe_name()))
                elif o == "selectKey": ops.append(dict({"op": "selectKey", "mapper": "."}, **maybe_name()))
                elif o == "map": ops.append(dict({"op": "map", "mapper": "{key: ., value: .}"}, **maybe_name()))
                elif o == "peek": ops.append(dict({"op": "peek", "action": "."}, **maybe_name()))
                elif o == "flatMapValues": ops.append(dict({"op": "flatMapValues", "mapper": "[.]"}, **maybe_name()))
                elif o == "processValues": ops.append(dict({"op": "processValues", "processor": "[.]"}, **maybe_name()))
                elif o == "process": ops.append(dict({"op": "process", "processor": "[{key: $key, value: .}]"}, **maybe_name()))
                elif o == "repartition": ops.append(dict({"op": "repartition"}, **maybe_name(0.5)))
                elif o == "merge" and len(streams) > 1: ops.append(dict({"op": "merge", "with": r.choice([x for x in streams if x != s])}, **maybe_name()))
                elif o == "join-s":
                    j = {"op": r.choice(["join", "leftJoin", "outerJoin"]), "with": r.choice(streams), "joiner": "[$left, $right]",
                         "window": r.choice([{"before": "1m"}, {"before": "1m", "grace": "10s"}, {"before": "30s", "after": "10s", "grace": "0s"}])}
                    if r.random() < 0.3: j["name"] = new("sj-")
                    if r.random() < 0.2: j["storeName"] = new("sjs-")
                    ops.append(j)
                elif o == "join-t" and tables:
                    ops.append(dict({"op": r.choice(["join", "leftJoin"]), "with": r.choice(tables), "joiner": "[$left, $right]"}, **maybe_name()))
                elif o == "join-g" and globals_:
                    ops.append(dict({"op": r.choice(["join", "leftJoin"]), "with": r.choice(globals_), "keySelector": r.choice([".", "$key"]),
                                     "joiner": "[$left, $right]"}, **maybe_name()))
            end = r.random()
            nm = new("s")
            if end < 0.3:
                ops.append(dict({"op": "groupByKey"} if r.random() < 0.6 else {"op": "groupBy", "selector": "."}, **maybe_name(0.3)))
                pipelines.append({"from": s, "ops": ops, "as": nm}); grouped.append(nm)
            elif end < 0.4:
                ops.append(dict({"op": "toTable"}, **maybe_name(), **mat()))
                pipelines.append({"from": s, "ops": ops, "as": nm}); tables.append(nm)
            elif end < 0.5:
                ops.append({"op": "split", "branches": [{"predicate": ".", "as": nm}], "default": {"as": nm + "d"}} | maybe_name())
                pipelines.append({"from": s, "ops": ops}); streams += [nm, nm + "d"]
            else:
                pipelines.append({"from": s, "ops": ops, "as": nm}); streams.append(nm)
        elif kind < 0.8 and grouped:
            g = r.choice(grouped); nm = new("t")
            ops = []
            if r.random() < 0.3:
                w = r.choice([{"type": "tumbling", "size": "1m"}, {"type": "hopping", "size": "1m", "advance": "10s"}, {"type": "sliding", "timeDifference": "1m", "grace": "1s"}, {"type": "session", "inactivityGap": "1m"},
                              {"type": "tumbling", "size": "1m", "grace": "10s"}, {"type": "hopping", "size": "1m", "advance": "20s", "grace": "5s"}, {"type": "session", "inactivityGap": "30s", "grace": "10s"}])
                others = [x for x in grouped if x != g]
                agg = r.choice(["count", "reduce", "aggregate", "cogroup"])
                if agg == "cogroup" and others and w["type"] != "sliding":
                    ops.append({"op": "cogroup", "aggregator": ".", "with": [{"from": r.choice(others), "aggregator": "."}]})
                    ops.append({"op": "windowedBy", "window": w})
                    a = {"op": "aggregate", "initializer": "0"}
                    if w["type"] == "session": a["merger"] = "$left"
                    ops.append(dict(a, **maybe_name(), **mat()))
                else:
                    ops.append({"op": "windowedBy", "window": w})
                    if agg == "count": ops.append(dict({"op": "count"}, **maybe_name(), **mat()))
                    elif agg == "reduce": ops.append(dict({"op": "reduce", "reducer": "."}, **maybe_name(), **mat()))
                    else:
                        a = {"op": "aggregate", "initializer": "0", "aggregator": "."}
                        if w["type"] == "session": a["merger"] = "$left"
                        ops.append(dict(a, **maybe_name(), **mat()))
                if r.random() < 0.4:
                    # The suppression buffer serializes the windowed key with the table's key serde: Java needs the
                    # grouping's key serde declared (with the default serde the key comes back as a String).
                    for p in pipelines:
                        if p.get("as") == g: p["ops"][-1]["key"] = "string"
                    ops.append(dict(r.choice([{"op": "suppress", "until": "windowCloses"},
                                              {"op": "suppress", "until": "windowCloses", "buffer": {"maxRecords": 100, "full": "shutdown"}},
                                              {"op": "suppress", "until": "timeLimit", "timeLimit": "20s"},
                                              {"op": "suppress", "until": "timeLimit", "timeLimit": "1m", "buffer": {"maxRecords": 2, "full": "emitEarly"}}]),
                                    **maybe_name(0.5)))
                # A windowed key needs a windowed serde on the sink (a Java application has to declare one).
                key = "session-windowed<string>" if w["type"] == "session" else "windowed<string>"
                ops.append({"op": "toStream"}); ops.append({"op": "to", "topic": new("out-"), "key": key})
                pipelines.append({"from": g, "ops": ops})
                continue
            agg = r.choice(["count", "reduce", "aggregate", "cogroup"])
            if agg == "count": ops.append(dict({"op": "count"}, **maybe_name(), **mat()))
            elif agg == "reduce": ops.append(dict({"op": "reduce", "reducer": "."}, **maybe_name(), **mat()))
            elif agg == "aggregate": ops.append(dict({"op": "aggregate", "initializer": "0", "aggregator": "."}, **maybe_name(), **mat()))
            else:
                others = [x for x in grouped if x != g]
                ops.append({"op": "cogroup", "aggregator": ".", "with": [{"from": o, "aggregator": "."} for o in others[:1]]})
                ops.append(dict({"op": "aggregate", "initializer": "0"}, **maybe_name(), **mat()))
            pipelines.append({"from": g, "ops": ops, "as": nm}); tables.append(nm)
        elif tables:
            t = r.choice(tables); nm = new("t")
            o = r.choice(["filter", "mapValues", "join", "fk", "groupBy", "toStream", "suppress"])
            if o == "filter": op = dict({"op": "filter", "predicate": "."}, **maybe_name(), **mat())
            elif o == "mapValues": op = dict({"op": "mapValues", "mapper": "."}, **maybe_name(), **mat())
            elif o == "join": op = dict({"op": r.choice(["join", "leftJoin", "outerJoin"]), "with": r.choice(tables), "joiner": "[$left, $right]"}, **maybe_name(), **mat())
            elif o == "fk": op = dict({"op": r.choice(["join", "leftJoin"]), "with": r.choice(tables), "foreignKey": ".", "joiner": "[$left, $right]"}, **maybe_name(), **mat())
            elif o == "suppress": op = dict(r.choice([{"op": "suppress", "until": "timeLimit", "timeLimit": "1s"},
                                                      {"op": "suppress", "until": "timeLimit", "timeLimit": "1m"},
                                                      {"op": "suppress", "until": "timeLimit", "timeLimit": "30s", "buffer": {"maxRecords": 2, "full": "emitEarly"}}]),
                                            **maybe_name(0.5))
            elif o == "groupBy":
                g = dict({"op": "groupBy", "selector": "{key: ., value: .}"}, **maybe_name())
                a = r.choice([{"op": "count"}, {"op": "reduce", "adder": ".", "subtractor": "."}, {"op": "aggregate", "initializer": "0", "adder": ".", "subtractor": "."}])
                pipelines.append({"from": t, "ops": [g, dict(a, **maybe_name(), **mat())], "as": nm}); tables.append(nm); continue
            else:
                pipelines.append({"from": t, "ops": [dict({"op": "toStream"}, **maybe_name())], "as": nm.replace("t", "s")}); streams.append(nm.replace("t", "s")); continue
            pipelines.append({"from": t, "ops": [op], "as": nm}); tables.append(nm)
    for s in streams[-2:]:
        pipelines.append({"from": s, "ops": [{"op": "to", "topic": new("final-")}]})
    for t in tables[-1:]:
        pipelines.append({"from": t, "ops": [{"op": "toStream"}, {"op": "to", "topic": new("final-")}]})
    opt = r.choice(["none", "all", "none", "reuse.ktable.source.topics", "merge.repartition.topics"])
    return {"config": {"application.id": f"rand-{seed}", "topology.optimization": opt}, "pipelines": pipelines}
if __name__ == "__main__":
    out, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for seed in range(start, start + count):
        json.dump(gen(seed), open(f"{out}/p{seed}.topology.json", "w"), indent=1)
