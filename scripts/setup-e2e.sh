#!/usr/bin/env bash
# Installs code-server (real VS Code served to a browser) for the e2e tests into .e2e-cache/code-server/.
#
# Follows shared E2E_NOTES: code-server's own postinstall downloads ripgrep from the internet, which is not
# reachable here, so it is installed with --ignore-scripts and its steps are done by hand.
# Idempotent: does nothing when the installed code-server already reports the pinned version.
# Atomic: builds in .e2e-cache/code-server.partial and renames it only when every step passed, so an
# interrupted run never leaves a half-built install that looks complete.
# Needs: Node 20 (code-server 4.100.x; 4.103+ needs Node 22), python3/make/g++ for node-gyp, libkrb5-dev and
# ripgrep (scripts/install-system-deps.sh installs them). All npm/node-gyp output goes to .e2e-cache/setup.log.
set -euo pipefail

readonly CODE_SERVER_VERSION="4.100.3"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="$repo_root/.e2e-cache"
target="$cache_dir/code-server"
staging="$cache_dir/code-server.partial"
log="$cache_dir/setup.log"
entry_relative="node_modules/code-server/out/node/entry.js"

say() { echo "setup-e2e: $*"; }
fail() { echo "setup-e2e: error: $*" >&2; exit 1; }

# Prints the version of the code-server under $1, or nothing. On its first run code-server writes a default
# config.yaml (and logs a line before the version) and a data folder: keep both out of $HOME, skip the line.
installed_version() {
  [[ -f "$1/$entry_relative" ]] || return 0
  local state_home
  state_home="$(mktemp -d)"
  XDG_CONFIG_HOME="$state_home/config" XDG_DATA_HOME="$state_home/data" node "$1/$entry_relative" --version 2>/dev/null |
    awk '/ with Code / { print $1; exit }' || true
  rm -rf "$state_home"
}

if [[ "$(installed_version "$target")" == "$CODE_SERVER_VERSION" ]]; then
  say "code-server $CODE_SERVER_VERSION already set up in $target"
  exit 0
fi

# --- prerequisites, checked up front so a failure names its cause -------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || fail "node is not on PATH"
[[ "$node_major" == "20" ]] ||
  fail "code-server $CODE_SERVER_VERSION needs Node 20, this is $(node --version) (4.103+ needs Node 22)"
for tool in npm python3 make g++; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing (needed to build code-server's native modules)"
done
command -v rg >/dev/null 2>&1 || fail "ripgrep (rg) is missing: run scripts/install-system-deps.sh as root"
[[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/krb5.h ]] ||
  fail "Kerberos headers are missing (libkrb5-dev): run scripts/install-system-deps.sh as root"

mkdir -p "$cache_dir"
: >"$log"
start_seconds=$SECONDS
current_step=""
trap 'status=$?; if ((status != 0)); then
  echo "setup-e2e: failed at step \"$current_step\" (exit $status); last lines of $log:" >&2
  tail -n 40 "$log" >&2
fi' EXIT

# npm's own fetch retries cover single requests; the loop below covers a whole command failing on the network.
export npm_config_fetch_retries=5 npm_config_fetch_retry_mintimeout=2000 npm_config_fetch_retry_maxtimeout=60000
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_progress=false
export npm_config_loglevel=warn

# step NAME COMMAND...: runs COMMAND with output appended to the log, up to 3 times with a growing pause.
step() {
  current_step="$1"
  shift
  say "$current_step"
  local attempt
  for attempt in 1 2 3; do
    echo "=== $current_step (attempt $attempt): $* [in $PWD]" >>"$log"
    if "$@" >>"$log" 2>&1; then
      return 0
    fi
    ((attempt < 3)) || return 1
    echo "=== failed; retrying in $((attempt * 10)) s" >>"$log"
    sleep $((attempt * 10))
  done
}

rm -rf "$staging"
mkdir -p "$staging"
cd "$staging"
cat >package.json <<JSON
{ "name": "promptmeter-e2e-code-server", "private": true, "version": "0.0.0",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" } }
JSON

step "install code-server@$CODE_SERVER_VERSION (scripts off)" npm install --ignore-scripts --no-package-lock
vscode_dir="$staging/node_modules/code-server/lib/vscode"
[[ -d "$vscode_dir" ]] || fail "unexpected package layout: $vscode_dir does not exist"

cd "$vscode_dir"
step "install VS Code's runtime dependencies" npm install --omit=dev --ignore-scripts
step "rebuild VS Code's native modules" env npm_config_yes=true \
  npm rebuild kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty
current_step="link ripgrep, node_modules.asar and helper scripts"
say "$current_step"
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
cd "$vscode_dir/extensions"
step "install built-in extensions' dependencies" npm install --omit=dev --ignore-scripts

cd "$staging"
step "rebuild argon2" env npm_config_yes=true npm rebuild argon2

current_step="check the installed version"
version="$(installed_version "$staging")"
[[ "$version" == "$CODE_SERVER_VERSION" ]] ||
  fail "code-server reports '${version:-nothing}', expected $CODE_SERVER_VERSION (see $log)"

rm -rf "$target"
mv "$staging" "$target"
say "code-server $CODE_SERVER_VERSION ready in $target ($((SECONDS - start_seconds)) s; log: $log)"
