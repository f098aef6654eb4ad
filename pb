#!/usr/bin/env bash
# pb: the pb4j command-line tool (see docs/cli.md). Builds pb-cli/target/pb.jar first when it is
# missing or older than the sources it is made of, then runs it.
#   PB_JAVA      java to run (default: java on PATH)
#   PB_JAVA_OPTS extra JVM options
#   PB_MVN_OPTS  extra Maven options for the build (e.g. -o)
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

# shellcheck disable=SC2086
exec "${PB_JAVA:-java}" ${PB_JAVA_OPTS:-} -jar "$jar" "$@"
