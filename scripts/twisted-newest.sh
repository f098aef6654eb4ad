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
# documents for PURE_PYTHON=1).
#
# Twisted's TLS needs pyOpenSSL, which needs cryptography (abi3 wheels, fine on any newer
# Python), whose OpenSSL bindings load cffi's C module `_cffi_backend`. When the index has no
# cffi wheel for the chosen Python, that module is compiled here from the source of the machine's
# Debian package python-cffi (fetched with `apt-get source` through a private sources list under
# DIR; needs gcc, libffi-dev and dpkg-dev, which ./run-tests installs, and the interpreter's
# Python.h, which a pyenv Python has). If even that fails, the environment has no TLS, the script
# says so loudly, and `import OpenSSL` fails there (./run-tests then leaves the TLS interop
# classes out of its second pass and repeats the warning at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/twisted-newest}
log() { echo "twisted-newest: $*" >&2; }

# (An environment without TLS is made again: the cause may have been fixed since.)
if [ -x "$dir/bin/python" ] &&
    "$dir/bin/python" -c 'import twisted.spread.pb, OpenSSL, service_identity' 2>/dev/null; then
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

# Compiles cffi's C module `_cffi_backend` into the environment from the source of Debian's
# python-cffi for this machine's release (cffi 1.15.1 on bookworm). Older cffi sources call
# _PyErr_WriteUnraisableMsg, which Python 3.13 replaced by PyErr_FormatUnraisable; the macro
# below maps the one to the other, with the message Python itself prints for such errors.
build_cffi_backend() {
  local work="$dir/cffi-build" codename inc suffix platlib src c tool
  local defs=()
  for tool in apt-get dpkg-source gcc; do
    command -v "$tool" >/dev/null || { log "cannot build cffi: no $tool"; return 1; }
  done
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || { log "cannot build cffi: no release codename in /etc/os-release"; return 1; }
  inc=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
  [ -f "$inc/Python.h" ] || { log "cannot build cffi: no Python.h in $inc"; return 1; }
  suffix=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
  platlib=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
  log "cffi has no wheel for this Python: building it from Debian's python-cffi ($codename)"
  rm -rf "$work"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
    "http://deb.debian.org/debian $codename main" >"$work/sources.list"
  local apt=(apt-get -q -o Dir::Etc::SourceList="$work/sources.list"
    -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$work/lists"
    -o Dir::Cache="$work/cache" -o Debug::NoLocking=1)
  { "${apt[@]}" update && (cd "$work/src" && "${apt[@]}" source python-cffi); } \
    >>"$piplog" 2>&1 || { log "cannot build cffi: apt-get source python-cffi failed"; return 1; }
  src=$(ls -d "$work"/src/python-cffi-*/ | head -n 1)
  c=$(ls "$src"src/c/_cffi_backend.c "$src"c/_cffi_backend.c 2>/dev/null | head -n 1)
  [ -n "$c" ] || { log "cannot build cffi: no _cffi_backend.c in $src"; return 1; }
  if "$dir/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' &&
      grep -q '_PyErr_WriteUnraisableMsg' "$c"; then
    defs+=('-D_PyErr_WriteUnraisableMsg(msg, obj)=PyErr_FormatUnraisable("Exception ignored %s", msg)')
  fi
  gcc -shared -fPIC -O2 -w -I"$inc" -I"$(dirname "$c")" "${defs[@]}" "$c" -lffi \
    -o "$platlib/_cffi_backend$suffix" >>"$piplog" 2>&1 || { log "cannot build cffi: gcc failed"; return 1; }
  rm -rf "$work"
  "$dir/bin/python" -c 'import _cffi_backend as b; b.newp(b.new_pointer_type(b.new_primitive_type("int")), 7)' \
    2>>"$piplog" || { log "cannot build cffi: the module built does not load"; return 1; }
  log "built _cffi_backend $("$dir/bin/python" -c 'import _cffi_backend; print(_cffi_backend.__version__)')"
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
# TLS: pyOpenSSL and service_identity, as Twisted's `tls` extra lists them.
if "${pip[@]}" cffi 2>/dev/null; then
  "${pip[@]}" pyopenssl service_identity
elif build_cffi_backend; then
  # cryptography's metadata asks for a newer cffi than Debian's source may be; its bindings only
  # need the C module (checked below), so the TLS packages go in without dependency resolution.
  "${pip[@]}" --no-deps cryptography pyopenssl service_identity
else
  log "**********************************************************************************"
  log "WARNING: no cffi for this Python (no wheel on the index, and building it from"
  log "Debian's python-cffi source failed; see $piplog)."
  log "This environment has NO TLS: Twisted's TLS (pyOpenSSL) cannot be tested against it."
  log "**********************************************************************************"
fi
if "$dir/bin/python" -c 'import OpenSSL' 2>/dev/null; then
  "$dir/bin/python" -c '
import OpenSSL.SSL, service_identity.pyopenssl
from twisted.internet import ssl
ssl.optionsForClientTLS("localhost")
OpenSSL.SSL.Context(OpenSSL.SSL.TLS_METHOD)' >/dev/null
  log "TLS: pyOpenSSL $("$dir/bin/python" -c 'import OpenSSL; print(OpenSSL.__version__)')"
fi

"$dir/bin/python" -c 'import twisted.spread.pb, twisted.cred.portal' >/dev/null
log "Twisted $("$dir/bin/python" -c 'import twisted; print(twisted.__version__)') in $dir"
echo "$(cd "$dir" && pwd)/bin/python"
