# Sourced by ./opsdeck: the JVM options the server runs with, one per line.
# Usage: opsdeck_jvm_options JAVA_MAJOR "$OPSDECK_JAVA_OPTS" [CHECKS [RAM_MB]]
# CHECKS (from opsdeck_config_checks) and RAM_MB (from opsdeck_ram_mb) size the heap cap; see opsdeck_heap_mb.
opsdeck_jvm_options() {
  local major="$1" operator="$2" checks="${3:-0}" ram="${4:-0}"
  echo --enable-native-access=ALL-UNNAMED
  # Serial GC: one small process with short pauses, lower RSS than G1 for this workload. An operator who
  # names a collector in OPSDECK_JAVA_OPTS gets that one instead: the JVM refuses to start with two.
  if ! [[ " $operator " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]]; then echo -XX:+UseSerialGC; fi
  # The heap starts small and is capped: Serial grows its old generation instead of collecting while it
  # may, so without a cap RSS drifted towards a quarter of the machine's RAM. 256 MB held 10,000 checks
  # at 10 s (docs/BENCHMARKS.md); larger configurations get a larger cap (opsdeck_heap_mb), and
  # OPSDECK_JAVA_OPTS=-Xmx... overrides it (the operator's options come later on the command line and win).
  printf '%s\n' -Xms32m "-Xmx$(opsdeck_heap_mb "$checks" "$ram")m" -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40
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

# The heap cap in MB for CHECKS checks on a machine (or container) of RAM_MB: 64 MB plus 8 KB per check, at
# least 256 MB (what every configuration got before, and what small ones still get), and scaled up to at most
# half of RAM_MB (0: unknown, no limit). The 8 KB are set by the start, not by the running checks (~3 KB of
# live heap each): reading the YAML builds the parser's whole node tree first (~6 KB per check of a one-line
# check) beside the configuration made from it. 100,000 checks with 5 KB per check (552 MB) spent the start
# in back-to-back full collections inside that parse; with 845 MB they started (docs/BENCHMARKS.md).
# Usage: opsdeck_heap_mb CHECKS RAM_MB
opsdeck_heap_mb() {
  local checks="${1:-0}" ram="${2:-0}" heap
  heap=$((64 + checks * 8 / 1024))
  if [ "$ram" -gt 0 ] && [ "$heap" -gt $((ram / 2)) ]; then heap=$((ram / 2)); fi
  if [ "$heap" -lt 256 ]; then heap=256; fi
  echo "$heap"
}

# An estimate of the checks a command's configuration declares, from its -c/--config argument (a YAML file, or
# a directory whose .yaml and .yml files are read, as the server reads them): how often "type:" occurs, a scan
# of 0.03 s CPU for 100,000 checks (18 MB) where a JVM start and a parse would take seconds. Channels, runbook
# steps and keys such as content_type: count too, which only errs towards a larger cap; files pulled in by
# include: are not read (set -Xmx in OPSDECK_JAVA_OPTS for those). 0 without a readable config.
# Usage: opsdeck_config_checks "$@" (the launcher's arguments)
opsdeck_config_checks() {
  local config="" files=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -c | --config) config="${2:-}"; shift ;;
      --config=*) config="${1#--config=}" ;;
      -c?*) config="${1#-c}" ;;
      --) break ;;
    esac
    shift
  done
  if [ -d "$config" ]; then
    shopt -s nullglob
    files=("$config"/*.yaml "$config"/*.yml)
    shopt -u nullglob
  elif [ -f "$config" ]; then
    files=("$config")
  fi
  if [ ${#files[@]} -eq 0 ]; then echo 0; return; fi
  # -o counts every occurrence on a line, so flow mappings ({ type: http, ... }) one per line count right;
  # a fixed string is ~20 times cheaper for grep than a pattern with word boundaries
  LC_ALL=C grep -ohF 'type:' "${files[@]}" 2>/dev/null | wc -l
}

# The memory this process may use, in MB: the cgroup's limit when one is set (a container), else the machine's
# RAM; 0 when neither can be read.
opsdeck_ram_mb() {
  local total=0 limit="" line
  if [ -r /proc/meminfo ]; then
    while read -r line; do
      if [[ "$line" =~ ^MemTotal:[[:space:]]+([0-9]+) ]]; then total=$((BASH_REMATCH[1] / 1024)); break; fi
    done < /proc/meminfo
  fi
  if [ -r /sys/fs/cgroup/memory.max ]; then
    read -r limit < /sys/fs/cgroup/memory.max
  elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    read -r limit < /sys/fs/cgroup/memory/memory.limit_in_bytes
  fi
  if [[ "$limit" =~ ^[0-9]+$ ]] && [ $((limit / 1048576)) -gt 0 ] &&
    { [ "$total" -eq 0 ] || [ $((limit / 1048576)) -lt "$total" ]; }; then
    total=$((limit / 1048576))
  fi
  echo "$total"
}
