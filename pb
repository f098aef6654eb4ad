#!/usr/bin/env bash
# pb: the pb4j command-line tool (see docs/cli.md). Builds pb-cli/target/pb.jar first when it is
# missing or older than the sources it is made of, then runs it.
#   PB_JAVA      java to run (default: java on PATH)
#   PB_JAVA_OPTS extra JVM options (after the defaults below, so they win)
#   PB_MVN_OPTS  extra Maven options for the build (e.g. -o)
#   PB_CDS       0: no class-data sharing archive (default 1: see docs/operations.md)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar="$root/pb-cli/target/pb.jar"
modules=(pb-banana pb-jelly pb-cred pb-userstore pb-core pb-netty pb-metrics pb-examples pb-buildbot pb-cli)

stale() {
  [ -f "$jar" ] || return 0
  local sources=("$root/pom.xml")
  for m in "${modules[@]}"; do
    sources+=("$root/$m/pom.xml" "$root/$m/src/main")
  done
  [ -n "$(find "${sources[@]}" -newer "$jar" -print -quit 2>/dev/null)" ]
}

build() {
  stale || return 0 # Another pb built it while we waited for the lock.
  echo "pb: building $jar (takes a minute)..." >&2
  # package, not install: nothing is written to ~/.m2. Tests are compiled (the modules' test-jars
  # must exist for Maven to resolve the reactor) but not run; no sources or javadoc jars.
  # shellcheck disable=SC2086
  # Maven 3.8 writes stray colour resets even in batch mode: strip them.
  if ! (cd "$root" && mvn -B -q -Dstyle.color=never ${PB_MVN_OPTS:-} -DskipTests -Dpb4j.fuzz.skip=true \
      -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl pb-cli -am 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^$' >&2 || [ "${PIPESTATUS[0]}" -eq 0 ]); then
    echo "pb: build failed; run 'mvn -pl pb-cli -am package' in $root to see why" >&2
    exit 1
  fi
}

if stale; then
  mkdir -p "$root/pb-cli/target"
  if command -v flock >/dev/null; then
    # One build at a time when several pb commands start together.
    exec 9>"$root/pb-cli/target/.pb-build.lock"
    flock 9
    build
    flock -u 9
    exec 9>&-
  else
    build
  fi
fi

java_cmd=${PB_JAVA:-java}

# Heap sizing for a long-running server: after a full collection (and G1's remark) the heap the
# JVM keeps committed stays within 10-30 % above what is live, instead of the JVM's 40-70 %, so
# that a server holding many idle connections keeps a resident set close to its live heap (see
# docs/operations.md, "Memory"). The heap starts at 16 MiB, not the JVM's 1/64 of the machine's
# memory, which is also the least it shrinks to: it grows as the load needs. PB_JAVA_OPTS can set
# other values.
default_opts=(-Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)

# Native memory: what the JIT compilers and the class loader free, glibc keeps; a JVM that can
# (JDK 17.0.9+, 21.0.1+) hands it back to the system every second. Older JVMs refuse the option,
# so each java is asked once; the answer is kept in pb-cli/target.
trim_opt=-XX:TrimNativeHeapInterval=1000
trim_known="$root/pb-cli/target/.trim-native-heap-$(printf '%s' "$java_cmd" | cksum | cut -d' ' -f1)"
if [ -f "$trim_known" ]; then
  trim=$(cat "$trim_known")
else
  trim=no
  "$java_cmd" "$trim_opt" -version >/dev/null 2>&1 && trim=yes
  echo "$trim" >"$trim_known" 2>/dev/null || true
fi
[ "$trim" != yes ] || default_opts+=("$trim_opt")

# Class-data sharing: the first run of each subcommand after a build records the classes it loads
# into pb-cli/target/cds/<subcommand>.jsa (JDK 13+ dynamic AppCDS); later runs map them instead of
# loading, verifying and linking them again: faster start-up, less CPU and memory while cold.
# Quiet, and skipped, whenever the JVM cannot do it.
cds_dir="$root/pb-cli/target/cds"
cds_quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)
key=${1:-pb}
case "$key" in *[!a-z0-9-]* | -*) key=pb ;; esac
archive="$cds_dir/$key.jsa"
cds=${PB_CDS:-1}
for arg in "$@"; do
  case "$arg" in -h | --help | -V | --version) cds=0 ;; esac # would record too few classes
done
if [ "$cds" != 0 ]; then
  if [ -s "$archive" ] && [ "$archive" -nt "$jar" ]; then
    # shellcheck disable=SC2086
    exec "$java_cmd" -XX:SharedArchiveFile="$archive" -Xshare:auto "${cds_quiet[@]}" "${default_opts[@]}" ${PB_JAVA_OPTS:-} \
      -jar "$jar" "$@"
  fi
  rm -f "$archive"
  if mkdir -p "$cds_dir" 2>/dev/null && [ -w "$cds_dir" ] &&
    "$java_cmd" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ArchiveClassesAtExit; then
    # The JVM writes the archive as it exits; a half-written one would crash the next JVM that
    # maps it, so it is written under a private name and renamed once the JVM is gone. The JVM
    # runs as a child, not exec'd: signals to this script are passed on to it.
    partial="$cds_dir/$key.jsa.$$"
    # shellcheck disable=SC2086
    ("exec" "$java_cmd" -XX:ArchiveClassesAtExit="$partial" "${cds_quiet[@]}" "${default_opts[@]}" ${PB_JAVA_OPTS:-} \
      -jar "$jar" "$@") <&0 &
    child=$!
    for sig in INT TERM HUP QUIT; do
      # shellcheck disable=SC2064
      trap "kill -$sig $child 2>/dev/null" "$sig"
    done
    status=0
    while true; do
      wait "$child" && status=0 || status=$?
      kill -0 "$child" 2>/dev/null || break # wait was only interrupted by a signal we passed on
    done
    if [ -s "$partial" ]; then mv -f "$partial" "$archive"; else rm -f "$partial"; fi
    exit "$status"
  fi
fi

# shellcheck disable=SC2086
exec "$java_cmd" "${default_opts[@]}" ${PB_JAVA_OPTS:-} -jar "$jar" "$@"
