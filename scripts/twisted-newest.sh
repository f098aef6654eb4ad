#!/usr/bin/env bash
# Makes a Python virtual environment with the newest Twisted release the package index offers,
# for the second interop pass of ./run-tests, and prints the path of its python on stdout.
#
#   scripts/twisted-newest.sh [DIR]        (default DIR: target/twisted-newest)
#
# Twisted 26 needs Python 3.13+: the interpreter is PB4J_PYTHON_NEWEST, else python3.14 or
# python3.13 on PATH, else one under ~/.pyenv/versions. Packages come from the index pip is
# configured with (PyPI, or the machine's mirror); nothing is downloaded when DIR already holds
# a working environment.
#
# zope.interface and cffi ship compiled wheels per Python version. When the index has no wheel
# of zope.interface for the chosen Python, the newest wheel it has for any CPython is unpacked
# into the environment: zope.interface then runs its own pure-Python implementation (the one it
# documents for PURE_PYTHON=1). pyOpenSSL is installed only when cryptography's cffi backend can
# be installed for that Python; without it, Twisted's TLS is missing from this environment and
# `import OpenSSL` fails (the interop pass excludes the TLS cases then and says so).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/twisted-newest}
log() { echo "twisted-newest: $*" >&2; }

if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c 'import twisted.spread.pb' 2>/dev/null; then
  echo "$(cd "$dir" && pwd)/bin/python"
  exit 0
fi

find_python() {
  local c
  for c in "${PB4J_PYTHON_NEWEST:-}" python3.14 python3.13 \
      $(ls -d "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 2>/dev/null | sort -rV); do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 &&
        "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

py=$(find_python) || {
  log "no Python 3.13+ found (set PB4J_PYTHON_NEWEST); the newest Twisted needs one"
  exit 1
}
log "using $py ($("$py" -c 'import sys; print(sys.version.split()[0])'))"
rm -rf "$dir"
"$py" -m venv "$dir"
dir=$(cd "$dir" && pwd)
# pip's warnings about an index it cannot reach go to a file, shown if something fails.
piplog="$dir/pip.log"
trap 'status=$?; [ $status -eq 0 ] || { log "failed; pip said:"; cat "$piplog" >&2; }' EXIT
pip=(pipq install --retries 1 --timeout 10)
pipq() { "$dir/bin/python" -m pip -q --disable-pip-version-check "$@" 2>>"$piplog"; }

# Pure-Python dependencies of Twisted, then Twisted itself, newest of each.
"${pip[@]}" --no-deps twisted attrs automat constantly hyperlink idna incremental packaging \
  typing_extensions
if ! "${pip[@]}" --no-deps zope.interface 2>/dev/null; then
  tmp=$(mktemp -d)
  pipq download --no-deps --only-binary=:all: --python-version 3.11 \
    --implementation cp --retries 1 --timeout 10 -d "$tmp" zope.interface
  site=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  (cd "$site" && "$dir/bin/python" -m zipfile -e "$tmp"/zope_interface-*.whl .)
  rm -rf "$tmp"
  log "zope.interface has no wheel for this Python: using its pure-Python implementation"
fi
if "${pip[@]}" cffi 2>/dev/null; then
  "${pip[@]}" pyopenssl service_identity
else
  log "cffi has no wheel for this Python: this environment has no TLS (pyOpenSSL)"
fi

"$dir/bin/python" -c 'import twisted.spread.pb, twisted.cred.portal' >/dev/null
log "Twisted $("$dir/bin/python" -c 'import twisted; print(twisted.__version__)') in $dir"
echo "$(cd "$dir" && pwd)/bin/python"
