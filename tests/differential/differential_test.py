#!/usr/bin/env python3
"""Checks of differential.py's comparison rules (no Kafka Streams needed): which rule a case is compared with
(and that a sub-topology reading what it writes runs in the engine's driver, in TopologyTestDriver's order), and
the foreign-key "compare final" rule.

usage: differential_test.py STREAMS_RUN PROJECT_DIR   (streams-describe and differential-driver-run must sit next to
  STREAMS_RUN)
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential  # noqa: E402

STREAMS_RUN, PROJECT = sys.argv[1], sys.argv[2]


def record(topic, key, value, timestamp):
    return {"topic": topic, "key": key, "value": value, "timestamp": timestamp}


def fixture(case):
    return os.path.join(PROJECT, "topology-fixtures", "run", case, "topology.json")


class OrderRule(unittest.TestCase):
    def test_one_subtopology_in_order(self):
        self.assertEqual(differential.order_rule(STREAMS_RUN, fixture("stream-stream-join")),
                         (True, "in order (one sub-topology)", []))

    def test_several_subtopologies_per_key(self):
        self.assertEqual(differential.order_rule(STREAMS_RUN, fixture("word-count")),
                         (False, "per key (2 sub-topologies)", []))

    def test_subtopology_reading_what_it_writes_runs_in_driver_order(self):
        in_order, rule, looped = differential.order_rule(STREAMS_RUN, fixture("repartition-merge-self"))
        self.assertFalse(in_order)
        self.assertEqual(looped, ["KSTREAM-REPARTITION-0000000001-repartition"])
        self.assertIn("the engine in TopologyTestDriver's order", rule)
        self.assertIn("reads KSTREAM-REPARTITION-0000000001-repartition, which it writes", rule)

    def test_driver_processes_written_records_before_the_next_input(self):
        # repartition-merge-self: the stream merged with its own repartition. In TopologyTestDriver's order each
        # input record is followed by its repartitioned copy; a running application may interleave them otherwise.
        records = differential.driver_records(STREAMS_RUN, fixture("repartition-merge-self"),
                                              ["-X", differential.CACHE_OFF])
        values = [r["value"] for r in records]
        self.assertEqual(values, ["one", "back:one", "two", "back:two", "three", "back:three"])

    def test_loop_in_one_of_several_subtopologies(self):
        # A sub-topology reading what it writes is found among several (a stream-stream join after repartition(),
        # with an aggregation in a sub-topology of its own).
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "topology.json")
            with open(path, "w") as f:
                json.dump({"config": {"application.id": "loop"}, "pipelines": [
                    {"source": {"stream": "in"}, "as": "s"},
                    {"from": "s", "ops": [{"op": "repartition", "name": "r"}], "as": "r"},
                    {"from": "s", "ops": [{"op": "join", "with": "r", "joiner": "[$left, $right]",
                                           "window": {"before": "1m"}}, {"op": "to", "topic": "joined"}]},
                    {"from": "s", "ops": [{"op": "groupBy", "selector": "."}, {"op": "count"}, {"op": "toStream"},
                                          {"op": "to", "topic": "counts"}]}]}, f)
            in_order, _, looped = differential.order_rule(STREAMS_RUN, path)
        self.assertFalse(in_order)
        self.assertEqual(looped, ["r-repartition"])


class Suppression(unittest.TestCase):
    def test_found_anywhere_in_the_file(self):
        self.assertTrue(differential.has_suppression(fixture("suppress-until-time-limit")))
        self.assertTrue(differential.has_suppression(fixture("fk-join-suppressed-tables")))
        self.assertFalse(differential.has_suppression(fixture("fk-table-join")))

    def test_final_with_suppression_compares_the_driver(self):
        # The engine's own records are replaced by the driver's: an empty run still agrees when the driver does.
        topology = fixture("suppress-until-time-limit")
        driver = differential.driver_records(STREAMS_RUN, topology, ["-X", differential.CACHE_OFF])
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertTrue(differential.check("case", topology, [], driver, {"compare": "final"}, STREAMS_RUN))
        self.assertIn("the engine in TopologyTestDriver's order", out.getvalue())


class CompareFinal(unittest.TestCase):
    def compare(self, engine, oracle):
        with contextlib.redirect_stdout(io.StringIO()):
            return differential.compare("case", engine, oracle, "final", final_only=True)

    def test_final_tombstone_equals_absent_key(self):
        oracle = [record("out", "o1", {"n": 1}, 1000), record("out", "o1", None, 2000), record("out", "o2", 5, 3000)]
        engine = [record("out", "o2", 5, 3000)]
        self.assertTrue(self.compare(engine, oracle))
        self.assertTrue(self.compare(oracle, engine))

    def test_final_values_still_compared(self):
        oracle = [record("out", "o1", {"n": 1}, 1000)]
        self.assertFalse(self.compare([], oracle))
        self.assertFalse(self.compare([record("out", "o1", {"n": 2}, 1000)], oracle))
        self.assertFalse(self.compare([record("out", "o1", None, 1000)], oracle))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
