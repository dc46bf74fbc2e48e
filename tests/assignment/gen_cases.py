#!/usr/bin/env python3
"""Generates random cluster states for the task assignor comparison (tests/assignment/README.md).

    gen_cases.py SEED COUNT > cases.txt

Every case is the state Kafka Streams' assignor sees at a rebalance: clients (process ids, stream threads, the
lag of every stateful task, client tags), the tasks, which are stateful, and the assignor's configuration. The
cases cover standbys 0-2, client tags with rack.aware.assignment.tags, warm-ups (lags around
acceptable.recovery.lag), scale-out (clients without state) and scale-in (owners gone), stateless-only
topologies, and the rack strategies (skipped without racks, by Kafka and by the port alike).
"""
import random
import sys

LONG_MAX = 9223372036854775807


def uuid_text(rng):
    bits = rng.getrandbits(128)
    if rng.random() < 0.3:  # the sign bit of either half: UUID.compareTo is signed, unlike the string order
        bits |= 1 << 127
    if rng.random() < 0.3:
        bits |= 1 << 63
    h = f"{bits:032x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def gen_case(rng, name):
    lines = [f"case {name}"]
    acceptable = rng.choice([0, 10, 100, 100, 10000, 10000, LONG_MAX if rng.random() < 0.1 else 100])
    config = {
        "acceptable.recovery.lag": acceptable,
        "max.warmup.replicas": rng.choice([1, 1, 2, 2, 3, 5]),
        "num.standby.replicas": rng.choice([0, 0, 1, 1, 1, 2, 2]),
    }
    use_tags = rng.random() < 0.35
    tag_keys = []
    if use_tags:
        tag_keys = ["zone"] if rng.random() < 0.6 else ["zone", "cluster"]
        config["rack.aware.assignment.tags"] = ",".join(tag_keys)
    strategy = rng.choices(["none", "min_traffic", "balance_subtopology"], [6, 2, 2])[0]
    if strategy != "none":
        config["rack.aware.assignment.strategy"] = strategy
        if rng.random() < 0.5:
            config["rack.aware.assignment.traffic_cost"] = rng.randint(1, 20)
            config["rack.aware.assignment.non_overlap_cost"] = rng.randint(0, 5)
    lines.append("config " + " ".join(f"{k}={v}" for k, v in config.items()))

    large = rng.random() < 0.1  # more clients than a HashSet's first table holds, more tasks
    subtopologies = rng.randint(1, 4 if large else 3)
    tasks = [(s, p) for s in range(subtopologies) for p in range(rng.randint(1, 12 if large else 6))]
    if rng.random() < 0.1:
        stateful_subs = set()  # stateless only
    else:
        stateful_subs = {s for s in range(subtopologies) if rng.random() < 0.7} or {0}
    stateful = [t for t in tasks if t[0] in stateful_subs]
    lines.append("tasks " + " ".join(f"{s}_{p}" for s, p in tasks))
    lines.append("stateful " + " ".join(f"{s}_{p}" for s, p in stateful))

    n = rng.randint(8, 20) if large else rng.randint(1, 7)
    clients = [uuid_text(rng) for _ in range(n)]
    # The previous generation: its members are some of today's clients (the others are new: scale-out) and some
    # that are gone (scale-in).
    old = [c for c in clients if rng.random() < 0.75]
    gone = [f"gone-{i}" for i in range(rng.choice([0, 0, 1, 2]))]
    previous = old + gone
    prev_active, prev_standby = {}, {}
    end = {t: rng.choice([0, 5, 50, 5000, 50000, rng.randint(0, 200000)]) for t in stateful}
    if previous:
        for t in tasks:
            owner = rng.choice(previous)
            prev_active.setdefault(owner, set()).add(t)
            if t in stateful:
                others = [c for c in previous if c != owner]
                rng.shuffle(others)
                for c in others[:config["num.standby.replicas"]]:
                    prev_standby.setdefault(c, set()).add(t)

    zones = ["a", "b", "c"][: rng.randint(1, 3)]
    racks = ["r1", "r2", "r3"][: rng.randint(1, 3)]

    def replica_racks():
        chosen = rng.sample(racks, rng.randint(1, len(racks)))
        if rng.random() < 0.02:
            chosen.append("-")  # a broker without broker.rack: Kafka skips the rack-aware optimisation
        return ",".join(chosen)
    for c in clients:
        lines.append(f"client {c} {rng.choice([1, 1, 1, 2, 2, 3, 4])}")
        act = sorted(prev_active.get(c, set()))
        sby = sorted(prev_standby.get(c, set()))
        lines.append("active " + " ".join(f"{s}_{p}" for s, p in act))
        lines.append("standby " + " ".join(f"{s}_{p}" for s, p in sby))
        lags = []
        for t in stateful:
            e = end[t]
            if t in prev_active.get(c, set()):
                lag = -2 if rng.random() < 0.85 else rng.randint(0, max(1, 2 * min(acceptable, 10**6)))
            elif t in prev_standby.get(c, set()):
                a = min(acceptable, 10**6)
                lag = rng.choice([max(0, a - 1), a, a + 1, rng.randint(0, 3 * a + 3)])
            elif rng.random() < 0.15:
                lag = rng.randint(0, e) if e else 0  # old state left on disk
            elif rng.random() < 0.03:
                lag = -3  # offsets unknown
            else:
                lag = e  # no local state: the whole changelog
            lags.append(f"{t[0]}_{t[1]}={lag}")
        lines.append("lag " + " ".join(lags))
        if use_tags:
            tags = []
            for key in tag_keys:
                if rng.random() < 0.08:
                    continue  # a client without this tag
                tags.append(f"{key}={rng.choice(zones) if key == 'zone' else rng.choice(['k1', 'k2'])}")
            lines.append("tag " + " ".join(tags))
        if strategy != "none" and rng.random() < 0.97:
            lines.append(f"rack {rng.choice(racks)}")
        lines.append("end_client")
    if strategy != "none":
        inputs = {s: rng.choice([1, 1, 2]) for s in range(subtopologies)}
        changelogs = {s: rng.choice([1, 1, 2]) for s in stateful_subs}
        for s, p in tasks:
            lines.append(f"input_racks {s}_{p} " + " ".join(replica_racks() for _ in range(inputs[s])))
        for s, p in stateful:
            lines.append(f"changelog_racks {s}_{p} " + " ".join(replica_racks() for _ in range(changelogs[s])))
    lines.append("end")
    return "\n".join(lines) + "\n"


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    out = []
    for i in range(count):
        out.append(gen_case(random.Random(seed * 1_000_003 + i), str(i)))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
