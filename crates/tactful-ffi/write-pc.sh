#!/usr/bin/env bash
# Writes tactful.pc from tactful.pc.in.
#
#   crates/tactful-ffi/write-pc.sh OUT_DIR LIBDIR INCLUDEDIR [PREFIX]
#
# For the build tree (what tests/c/run.sh does):
#   crates/tactful-ffi/write-pc.sh target/release/pkgconfig "$PWD/target/release" "$PWD/include"
# For an install under /usr/local: copy libtactful.{so,a} to /usr/local/lib, tactful.h and
# tactful.hpp to /usr/local/include, then
#   crates/tactful-ffi/write-pc.sh /usr/local/lib/pkgconfig /usr/local/lib /usr/local/include /usr/local
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR LIBDIR INCLUDEDIR [PREFIX]" >&2; exit 2; }
out=$1 libdir=$2 includedir=$3 prefix=${4:-$3/..}
header="$here/../../include/tactful.h"
version=$(awk '/#define TACTFUL_VERSION_(MAJOR|MINOR|PATCH) /{v=v (v?".":"") $3} END{print v}' "$header")
mkdir -p "$out"
sed -e "s|@PREFIX@|$prefix|" -e "s|@LIBDIR@|$libdir|" -e "s|@INCLUDEDIR@|$includedir|" \
    -e "s|@VERSION@|$version|" "$here/tactful.pc.in" > "$out/tactful.pc"
echo "$out/tactful.pc"
