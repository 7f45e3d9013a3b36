#!/usr/bin/env bash
# The main job on a fresh machine: install, build the .vsix, and estimate the examples with the CLI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm ci --no-audit --no-fund
npm run --silent package
node bin/promptmeter.js estimate examples/
