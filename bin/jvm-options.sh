# Sourced by ./opsdeck: the JVM options the server runs with, one per line.
# Usage: opsdeck_jvm_options JAVA_MAJOR "$OPSDECK_JAVA_OPTS"
opsdeck_jvm_options() {
  local major="$1" operator="$2"
  echo --enable-native-access=ALL-UNNAMED
  # Serial GC: one small process with short pauses, lower RSS than G1 for this workload. An operator who
  # names a collector in OPSDECK_JAVA_OPTS gets that one instead: the JVM refuses to start with two.
  if ! [[ " $operator " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]]; then echo -XX:+UseSerialGC; fi
  # The heap starts small and is capped: Serial grows its old generation instead of collecting while it
  # may, so without a cap RSS drifted towards a quarter of the machine's RAM. 256 MB held 10,000 checks
  # at 10 s (docs/BENCHMARKS.md); a larger set raises it with OPSDECK_JAVA_OPTS=-Xmx... (later options win).
  printf '%s\n' -Xms32m -Xmx256m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40
  # An OutOfMemoryError ends the process (exit code 3) so that its supervisor restarts it: a JVM that
  # survived one may have lost any thread (the scheduler, the result writer) and would monitor nothing
  # while looking alive.
  echo -XX:+ExitOnOutOfMemoryError
  # JDK 25+: 8-byte object headers instead of 12 (JEP 519): 10,000 checks are ~2 million small objects.
  if [ "$major" -ge 25 ]; then echo -XX:+UseCompactObjectHeaders; fi
}
