# Shared set-up for scripts/serve, scripts/test and scripts/build: each `ensure_*` installs one
# tool only when it is missing (or at the wrong version), so a warm machine skips them all.
# Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.22.1"
# wasm-opt from the npm `binaryen` package (devDependency in package.json): Debian's binaryen
# and the wasm-opt crate are too old to read what current rustc emits.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*" >&2; }

# apt-get needs root; everyone else goes through sudo.
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        step "installing the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_trunk() {
    if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
        step "installing Trunk $TRUNK_VERSION (a one-off compile of about 15 minutes)"
        # Trunk 0.22.1 declares a newer rust-version than it needs.
        cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
    fi
}

# The wasm-bindgen CLI must match the wasm-bindgen crate that Cargo.lock pins, exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
    local version
    version="$(wasm_bindgen_version)"
    if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $version"; then
        step "installing wasm-bindgen-cli $version"
        # Not --locked: its own lockfile asks for a crate release the registry lacks.
        cargo install wasm-bindgen-cli --version "$version"
    fi
}

ensure_node_modules() {
    if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        step "installing the npm devDependencies (wasm-opt, playwright-core)"
        npm ci --no-audit --no-fund --loglevel=error
    fi
}

ensure_chromium() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        step "installing Chromium and chromedriver (Debian packages; needs root)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
}

# Everything Trunk needs to build the app. Trunk runs cargo with --offline (Trunk.toml), so the
# crates are fetched here first.
ensure_web_toolchain() {
    ensure_wasm_target
    ensure_node_modules
    ensure_trunk
    ensure_wasm_bindgen
    cargo fetch --locked --quiet
}
