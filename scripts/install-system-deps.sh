#!/usr/bin/env bash
# Installs the Debian packages that the tests need and a fresh machine lacks:
#   chromium      headless browser that drives VS Code (code-server) in the e2e tests
#   libkrb5-dev   headers for code-server's native `kerberos` module (rebuilt by scripts/setup-e2e.sh)
#   ripgrep       VS Code's search binary (code-server's own postinstall would download it; we copy /usr/bin/rg)
#   redis-server  the shared cache tier's integration tests
# plus make/g++ for node-gyp if the machine has no compiler.
#
# Idempotent and quiet: asks dpkg what is missing and only then runs apt-get (a no-op takes well under 1 s).
# apt-get output goes to a temporary log that is printed only when something fails. Run as root (CI does).
set -euo pipefail

wanted=(chromium libkrb5-dev ripgrep redis-server)
command -v make >/dev/null 2>&1 || wanted+=(make)
command -v g++ >/dev/null 2>&1 || wanted+=(g++)

missing=()
for package in "${wanted[@]}"; do
  status="$(dpkg-query --show --showformat='${db:Status-Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "installed" ]] || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" != "0" ]]; then
  echo "install-system-deps: missing ${missing[*]}; run this script as root (it uses apt-get)" >&2
  exit 1
fi

log="$(mktemp -t install-system-deps.XXXXXX.log)"
run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "install-system-deps: failed: $*" >&2
    tail -n 60 "$log" >&2
    echo "install-system-deps: full log in $log" >&2
    exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
# The package lists may be stale or absent on a fresh machine; one retry covers a mirror hiccup.
run_update() { apt-get update -qq >>"$log" 2>&1 || { sleep 5; apt-get update -qq >>"$log" 2>&1; }; }
if ! run_update; then
  echo "install-system-deps: apt-get update failed" >&2
  tail -n 60 "$log" >&2
  exit 1
fi
run apt-get install -y -qq "${missing[@]}"
rm -f "$log"
