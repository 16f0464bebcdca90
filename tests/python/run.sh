#!/usr/bin/env bash
# The Python part of the test suite: builds the `tactful` wheel, installs it into <repo>/.venv
# and runs pytest (golden cases, API, errors, threads, frames/Arrow, the notebook, Spark and
# Dask examples) and mypy's stubtest.
#
# Needs only python3 (+ pip/venv) and a Rust toolchain; installs everything else, idempotently.
# The venv is cached between runs (reinstalled when the pins below change).
#   TACTFUL_PY_SKIP_SCALEOUT=1   skip the Spark and Dask runs
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
VENV="$REPO/.venv"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"

# Pinned test dependencies. pandas stays on 2.x: PySpark 4.3 does not support pandas 3 yet.
REQS="maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 numpy==2.4.6 pandas==2.3.3 pyarrow==26.0.1 \
matplotlib==3.11.2 pyspark==4.3.0 dask[distributed]==2026.8.0 vaderSentiment==3.3.2"

say() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        # Debian splits venv/ensurepip out of python3.
        if command -v apt-get >/dev/null; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
        fi
        rm -rf "$VENV"
        python3 -m venv "$VENV"
    fi
fi
PY="$VENV/bin/python"
STAMP="$VENV/.tactful-test-reqs"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$REQS" ]; then
    say "installing test dependencies"
    "$PY" -m pip install -q --upgrade pip
    # shellcheck disable=SC2086
    "$PY" -m pip install -q $REQS
    echo "$REQS" > "$STAMP"
fi

if [ -z "${TACTFUL_PY_SKIP_SCALEOUT:-}" ] && ! command -v java >/dev/null; then
    say "installing Java 17 for the Spark example"
    if command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    fi
fi

say "rustfmt --check (bindings/python, its own workspace)"
cargo fmt --manifest-path bindings/python/Cargo.toml -- --check

say "building the wheel"
WHEELS="$CARGO_TARGET_DIR/wheels-python"
rm -rf "$WHEELS"
"$VENV/bin/maturin" build --release --quiet -m bindings/python/Cargo.toml -o "$WHEELS" -i "$PY"
"$PY" -m pip install -q --force-reinstall --no-deps "$WHEELS"/tactful-*.whl

# The CLI lets test_golden check Python's JSON against Rust's byte for byte.
if [ -z "${TACTFUL_CLI:-}" ]; then
    say "building the tactful CLI (for the Rust/Python drift check)"
    cargo build -q -p tactful-cli
    export TACTFUL_CLI="$CARGO_TARGET_DIR/debug/tactful"
fi

say "pytest"
# Run from outside the source tree so `import tactful` is the installed wheel.
PYTEST_ARGS=(-q -p no:cacheprovider --rootdir "$REPO/tests/python")
if [ -n "${TACTFUL_PY_SKIP_SCALEOUT:-}" ]; then
    PYTEST_ARGS+=(-k "not spark and not dask")
fi
status=0
(cd "$REPO/tests/python" && "$PY" -m pytest "${PYTEST_ARGS[@]}" "$REPO/tests/python") || status=$?

say "stubtest"
(cd /tmp && "$PY" -m mypy.stubtest tactful --mypy-config-file "$REPO/tests/python/mypy-stubtest.ini" \
    --allowlist "$REPO/tests/python/stubtest-allowlist.txt") || status=$?
if [ "$status" -ne 0 ]; then
    say "python: FAILED (exit $status)"
    exit "$status"
fi
say "python: all passed"
