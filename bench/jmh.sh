#!/usr/bin/env bash
# Runs Pulse's JMH micro-benchmarks (bench/jmh) and keeps JMH's text and JSON output in
# bench/results/jmh-<UTC time>.{txt,json}. Arguments go to JMH, for example:
#   bash bench/jmh.sh Condition                 # only benchmarks matching a regex
#   bash bench/jmh.sh -f 3 -wi 5 -i 10 -r 2s    # more forks, iterations, longer ones
#   bash bench/jmh.sh -p registry=prometheus    # one value of a parameter
#   bash bench/jmh.sh -l                        # list the benchmarks
# Defaults (annotations on each class): 1 fork, 3 warm-up and 5 measured iterations of 1 s.
# Maven options, such as -o, go in MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -Pjmh -DskipTests test-compile dependency:build-classpath \
	-Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath

mkdir -p bench/results
out="bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main \
	-rf json -rff "$out.json" "$@" | tee "$out.txt"
echo "JMH results: $out.txt and $out.json"
