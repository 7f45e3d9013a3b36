#!/usr/bin/env bash
# The whole test suite on a fresh machine: dependencies, system packages, real VS Code, then
# type-check, lint, unit, integration (real HTTP on 127.0.0.1, real Redis) and end-to-end tests
# (the packaged .vsix inside code-server driven by headless Chromium). CI runs this (.ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n=== %s\n' "$*"; }

step "npm ci"
npm ci --no-audit --no-fund
step "system packages (apt-get when missing)"
bash scripts/install-system-deps.sh
step "code-server for the e2e tests"
bash scripts/setup-e2e.sh
step "type-check"
npm run --silent typecheck
step "lint"
npm run --silent lint
step "build and package the .vsix"
npm run --silent package
step "tests: unit, integration, end-to-end"
node --test --test-reporter=spec --test-concurrency=1 out/test/unit/ out/test/integration/ out/test/e2e/
echo
echo "All tests passed. Screenshots and logs of the e2e run: test-artifacts/e2e/"
