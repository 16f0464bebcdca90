#!/usr/bin/env bash
# The C and C++ suite of tactful: builds libtactful, checks include/tactful.h is what the pinned
# cbindgen generates, compiles the C99 and C++17 tests and examples with -Wall -Wextra -Werror
# against the real headers, runs them, and runs them again under valgrind with the flags a user
# would use (`--leak-check=full --error-exitcode=1`: zero errors, and no definite, indirect or
# possible leaks; what the library keeps for the process's lifetime is "still reachable"). Works from a fresh clone on a fresh Debian machine: it installs
# what it needs (apt: a C/C++ compiler, cmake, valgrind, pkg-config, nlohmann-json3-dev;
# cargo: cbindgen 0.29.4 into ~/.cache/tactful-tools) when missing.
#
#   bash tests/c/run.sh            # prints a last line like `c-abi: 24 passed, 0 failed`
#
# Environment: CARGO_TARGET_DIR (default <repo>/target), TACTFUL_TOOLS_DIR (cbindgen cache),
# TACTFUL_VALGRIND=0 to skip the valgrind runs.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
lib="$target/release"
out="$target/c-abi"
mkdir -p "$out"
log="$out/log"
: > "$log"

passed=0
failed=0
failures=()

# step NAME COMMAND...: runs one check, counts it, shows the tail of its output on failure.
step() {
    local name=$1
    shift
    if "$@" > "$out/step.out" 2>&1; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "FAIL  $name"
        tail -n 40 "$out/step.out" | sed 's/^/      /'
    fi
    { echo "=== $name"; cat "$out/step.out"; } >> "$log"
}

finish() {
    echo
    [ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
    echo "c-abi: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# --- tools -------------------------------------------------------------------------------
need=()
command -v cc > /dev/null || need+=(gcc)
command -v c++ > /dev/null || need+=(g++)
command -v cmake > /dev/null || need+=(cmake)
command -v pkg-config > /dev/null || need+=(pkg-config)
command -v valgrind > /dev/null || need+=(valgrind)
[ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq > /dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" > /dev/null ||
        { echo "cannot install ${need[*]}"; failed=$((failed + 1)); finish; }
fi

cbindgen_version="0.29.4"
tools=${TACTFUL_TOOLS_DIR:-$HOME/.cache/tactful-tools}
cbindgen=""
for c in cbindgen "$tools/bin/cbindgen"; do
    if [ "$("$c" --version 2> /dev/null)" = "cbindgen $cbindgen_version" ]; then
        cbindgen=$c
        break
    fi
done
if [ -z "$cbindgen" ]; then
    echo "installing cbindgen $cbindgen_version into $tools"
    CARGO_TARGET_DIR="$tools/build" cargo install --quiet --locked --root "$tools" \
        cbindgen --version "$cbindgen_version" && cbindgen="$tools/bin/cbindgen"
fi

# --- library, header, reference answers ------------------------------------------------------
step "cargo build --release -p tactful-ffi" cargo build --release -p tactful-ffi
step "build the Rust reference writer" cargo build --release -p tactful-ffi --example golden_reference
if [ ! -f "$lib/libtactful.so" ] || [ ! -f "$lib/libtactful.a" ]; then
    echo "libtactful was not built"
    finish
fi

header_is_current() {
    [ -n "$cbindgen" ] || { echo "cbindgen $cbindgen_version is not available"; return 1; }
    local tmp
    tmp=$(mktemp)
    "$cbindgen" --quiet --config crates/tactful-ffi/cbindgen.toml --crate tactful-ffi --output "$tmp" &&
        cmp "$tmp" include/tactful.h ||
        { echo "include/tactful.h is stale: regenerate it with the command in crates/tactful-ffi/cbindgen.toml"; diff -u include/tactful.h "$tmp" | head -40; rm -f "$tmp"; return 1; }
    rm -f "$tmp"
}
step "include/tactful.h is what cbindgen $cbindgen_version generates" header_is_current

# Every exported symbol is declared in the header and every declared function is exported.
symbols_match_header() {
    nm -D --defined-only "$lib/libtactful.so" | awk '$2 == "T" {print $3}' | sort > "$out/exported.txt"
    grep -E '^[^ */#].*\btactful_[a-z_0-9]+\(' include/tactful.h | grep -oE 'tactful_[a-z_0-9]+\(' | tr -d '(' | sort > "$out/declared.txt"
    echo "$(wc -l < "$out/exported.txt") exported symbols"
    diff "$out/declared.txt" "$out/exported.txt"
}
step "exported symbols == functions of include/tactful.h" symbols_match_header

cases=(tests/golden/assess.jsonl tests/c/cases.jsonl)
[ -f tests/golden/assess.jsonl ] || cases=(tests/c/cases.jsonl)
reference() { "$lib/examples/golden_reference" "${cases[@]}" > "$out/reference.tsv" && [ -s "$out/reference.tsv" ]; }
step "Rust engine answers for ${#cases[@]} case files" reference
step "write tactful.pc" crates/tactful-ffi/write-pc.sh "$out/pkgconfig" "$lib" "$root/include" "$root"

# --- compile -----------------------------------------------------------------------------
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -O1 -g -Iinclude)
cxxflags=(-std=c++17 -Wall -Wextra -Werror -pedantic -O1 -g -Iinclude)
shared=(-L"$lib" -ltactful -Wl,-rpath,"$lib")
static=("$lib/libtactful.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

step "cc -std=c99 tests/c/test_abi.c" cc "${cflags[@]}" tests/c/test_abi.c "${shared[@]}" -o "$out/test_abi"
step "cc -std=c99 tests/c/test_abi.c (static libtactful.a)" cc "${cflags[@]}" tests/c/test_abi.c "${static[@]}" -o "$out/test_abi_static"
step "cc -std=c99 tests/c/test_threads.c" cc "${cflags[@]}" -pthread tests/c/test_threads.c "${shared[@]}" -o "$out/test_threads"
step "cc -std=c99 tests/c/test_fork.c" cc "${cflags[@]}" tests/c/test_fork.c "${shared[@]}" -o "$out/test_fork"
step "c++ -std=c++17 tests/c/test_cpp.cpp" c++ "${cxxflags[@]}" tests/c/test_cpp.cpp "${shared[@]}" -o "$out/test_cpp"
step "cc -std=c99 examples/c/triage.c (pkg-config)" \
    sh -c "cc ${cflags[*]} examples/c/triage.c \$(PKG_CONFIG_PATH='$out/pkgconfig' pkg-config --cflags --libs tactful) -Wl,-rpath,'$lib' -o '$out/triage'"
step "cmake examples/cpp (agent_assist)" \
    sh -c "rm -rf '$out/cmake' && PKG_CONFIG_PATH='$out/pkgconfig' cmake -S examples/cpp -B '$out/cmake' -DCMAKE_BUILD_TYPE=Release > /dev/null && cmake --build '$out/cmake'"

# The README's examples, written only from the header and the README, must build and classify.
readme=crates/tactful-ffi/README-C.md
extract() { awk -v lang="$1" '$0 == "```" lang {on = 1; next} on && /^```/ {exit} on {print}' "$readme"; }
extract c > "$out/readme_example.c"
extract cpp > "$out/readme_example.cpp"
step "cc -std=c99 the README's C example" cc "${cflags[@]}" "$out/readme_example.c" "${shared[@]}" -o "$out/readme_example_c"
step "c++ -std=c++17 the README's C++ example" c++ "${cxxflags[@]}" "$out/readme_example.cpp" "${shared[@]}" -o "$out/readme_example_cpp"

# --- run ---------------------------------------------------------------------------------
triage_ok() {
    local lines
    "$@" < tests/c/messages.txt > "$out/triage.txt" || return 1
    cat "$out/triage.txt"
    lines=$(grep -c . tests/c/messages.txt)
    [ "$(wc -l < "$out/triage.txt")" -eq "$lines" ] &&
        [ "$(awk -F'\t' 'NF == 4' "$out/triage.txt" | wc -l)" -eq "$lines" ]
}
assist_ok() {
    "$@" '{"channel":"chat","customer_name":"Maria"}' < tests/c/messages.txt > "$out/assist.txt" || return 1
    cat "$out/assist.txt"
    [ "$(grep -c '^respond:' "$out/assist.txt")" -eq "$(grep -c . tests/c/messages.txt)" ] &&
        [ "$(grep -c '^review:' "$out/assist.txt")" -eq "$(grep -c "$(printf '\t')" tests/c/messages.txt)" ]
}

step "run test_abi (golden cases, NULLs, bad UTF-8, empty and 5 MB input, playbooks)" "$out/test_abi" "$out/reference.tsv" big
step "run test_abi linked statically" "$out/test_abi_static" "$out/reference.tsv" big
step "run test_threads (8 threads, 100000 calls, one engine)" "$out/test_threads" 100000
step "run test_fork (a batch in a fork()ed child finishes; 60 s alarm)" "$out/test_fork" 60
step "run test_cpp (tactful.hpp)" "$out/test_cpp" "$out/reference.tsv" "${cases[@]}"
step "run the README's C example" sh -c "'$out/readme_example_c' | grep -Eq '^fraud_security, urgency [a-z]+: resolve_first$'"
step "run the README's C++ example" sh -c "'$out/readme_example_cpp' | grep -q '\"situation\"'"
step "run examples/c/triage" triage_ok "$out/triage"
step "run examples/cpp/agent_assist" assist_ok "$out/cmake/agent_assist"

# --- valgrind ----------------------------------------------------------------------------
if [ "${TACTFUL_VALGRIND:-1}" != "0" ]; then
    # Standard flags, nothing relaxed: a possible leak is an error too (valgrind's default).
    vg=(valgrind --error-exitcode=1 --leak-check=full)
    : > "$out/valgrind-summary.txt"
    under_valgrind() {
        "${vg[@]}" --log-file="$out/valgrind.txt" "$@"
        local rc=$?
        grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost" "$out/valgrind.txt" |
            sed "s|^==[0-9]*==|$(basename "$1"):|" | tee -a "$out/valgrind-summary.txt"
        return $rc
    }
    step "valgrind test_abi" under_valgrind "$out/test_abi" "$out/reference.tsv"
    step "valgrind test_threads (8 threads, 400 calls)" under_valgrind "$out/test_threads" 400
    step "valgrind test_fork (threads started per batch call)" under_valgrind "$out/test_fork" 600
    step "valgrind test_cpp" under_valgrind "$out/test_cpp" "$out/reference.tsv" "${cases[@]}"
    step "valgrind triage" under_valgrind "$out/triage" < tests/c/messages.txt
    step "valgrind agent_assist" under_valgrind "$out/cmake/agent_assist" < tests/c/messages.txt
    echo "valgrind summary:"
    sed 's/^/  /' "$out/valgrind-summary.txt"
fi

finish
