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
  # glibc keeps the memory the JIT and the threads free: trimming it by hand (jcmd System.trim_native_heap)
  # gave back 23 MB of a server at 10,000 checks; the JVM does it every 10 s. Product option since JDK 22.
  if [ "$major" -ge 22 ]; then echo -XX:TrimNativeHeapInterval=10000; fi
  # On two cores the optimising compiler (C2) competes with the start itself: it compiled ahead the methods
  # the start-up cache's training run had found hot, and whatever reached its usual thresholds in the first
  # second. Not replaying the training run's compilations (JDK 25's option; diagnostic, so named for that
  # JDK only) and four times the thresholds leave C2 to the code that stays hot: an idle start 0.37 s
  # sooner and 1-2 points more CPU at 10,000 checks; with the trimming, 34 MB less RSS idle and 15 MB at
  # 10,000 checks (docs/BENCHMARKS.md). The start-up cache still holds the loaded and linked classes.
  if [ "$major" -eq 25 ]; then printf '%s\n' -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining; fi
  printf '%s\n' -XX:Tier4InvocationThreshold=20000 -XX:Tier4MinInvocationThreshold=2400 \
    -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=160000
}
