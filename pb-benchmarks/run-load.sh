#!/usr/bin/env bash
# Runs LoadTool, the loopback load test (see docs/benchmarks.md). Builds
# pb-benchmarks/target/pb-benchmarks.jar first when it is missing or older than the sources it is
# made of. Arguments go to LoadTool, e.g.
#   pb-benchmarks/run-load.sh --duration 10 --scenarios b,c
#   PB_JAVA      java to run (default: java on PATH)
#   PB_JAVA_OPTS JVM options of the client process; the server process gets only --server-jvm-arg
#   PB_MVN_OPTS  extra Maven options for the build (e.g. -o)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/pb-benchmarks.jar"
modules=(pb-banana pb-jelly pb-cred pb-core pb-netty pb-benchmarks)

stale() {
  [ -f "$jar" ] || return 0
  local sources=("$root/pom.xml")
  for m in "${modules[@]}"; do
    sources+=("$root/$m/pom.xml" "$root/$m/src/main")
  done
  [ -n "$(find "${sources[@]}" -newer "$jar" -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "run-load: building $jar (takes a minute)..." >&2
  # package, not install: nothing is written to ~/.m2. Tests are skipped, not compiled.
  # Maven 3.8 writes stray colour resets even in batch mode: strip them.
  # shellcheck disable=SC2086
  if ! (cd "$root" && mvn -B -q -Dstyle.color=never ${PB_MVN_OPTS:-} -Dmaven.test.skip=true \
      package -pl pb-benchmarks -am 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^$' >&2 \
      || [ "${PIPESTATUS[0]}" -eq 0 ]); then
    echo "run-load: build failed; run 'mvn -pl pb-benchmarks -am package' in $root to see why" >&2
    exit 1
  fi
fi

# shellcheck disable=SC2086
exec "${PB_JAVA:-java}" ${PB_JAVA_OPTS:-} -cp "$jar" io.github.pb4j.benchmarks.LoadTool "$@"
