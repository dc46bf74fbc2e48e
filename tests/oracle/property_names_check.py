#!/usr/bin/env python3
"""Compares engine/config/kafka_property_names.cpp with the property names of the Kafka jars the oracle runs on.

  property_names_check.py SOURCE_DIR            exit 1 and list the differences when they differ
  property_names_check.py SOURCE_DIR --write    rewrite the lists of kafka_property_names.cpp from the jars

The oracle (tests/oracle/oracle.sh property-names) prints StreamsConfig.configDef().names(), the consumer's,
producer's and admin client's configNames() and TopicConfig's *_CONFIG constants. A Java application's properties
file may hold any of them; the engine's property check (engine/config/property_check) must know them all.
"""
import re
import subprocess
import sys
from pathlib import Path

SECTIONS = {"streams": "KafkaStreamsPropertyNames", "client": "KafkaClientPropertyNames",
            "topic": "KafkaTopicPropertyNames"}


def jar_names(source: Path) -> dict:
    out = subprocess.run([str(source / "tests/oracle/oracle.sh"), "property-names"], check=True,
                         capture_output=True, text=True).stdout
    names = {s: [] for s in SECTIONS}
    for line in out.splitlines():
        section, name = line.split(" ", 1)
        names[section].append(name)
    return names


def list_span(text: str, function: str) -> tuple:
    """The span of the braced initializer list of `function`'s static vector."""
    start = text.index(function + "()")
    open_brace = text.index("names = {", start) + len("names = {")
    close = text.index("};", open_brace)
    return open_brace, close


def engine_names(text: str) -> dict:
    result = {}
    for section, function in SECTIONS.items():
        a, b = list_span(text, function)
        result[section] = re.findall(r'"([^"]+)"', text[a:b])
    return result


def render(names: list) -> str:
    lines, line = [], "   "
    for n in names:
        item = ' "' + n + '",'
        if len(line) + len(item) > 116:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line.rstrip(","))
    return "\n" + "\n".join(lines) + "\n  "


def main() -> int:
    source = Path(sys.argv[1])
    cpp = source / "engine/config/kafka_property_names.cpp"
    text = cpp.read_text()
    jars = jar_names(source)
    if "--write" in sys.argv[2:]:
        for section, function in reversed(list(SECTIONS.items())):
            a, b = list_span(text, function)
            text = text[:a] + render(sorted(jars[section])) + text[b:]
        cpp.write_text(text)
        print(f"{cpp}: rewritten from the oracle's jars")
        return 0
    ours = engine_names(text)
    status = 0
    for section in SECTIONS:
        missing = sorted(set(jars[section]) - set(ours[section]))
        extra = sorted(set(ours[section]) - set(jars[section]))
        for n in missing:
            print(f"{section}: {n} is a Kafka property the engine's list lacks")
        for n in extra:
            print(f"{section}: {n} is in the engine's list but not in the Kafka jars")
        if missing or extra:
            status = 1
        else:
            print(f"{section}: {len(ours[section])} names agree")
    if status:
        print(f"rewrite the lists with: {sys.argv[0]} {source} --write")
    return status


if __name__ == "__main__":
    sys.exit(main())
