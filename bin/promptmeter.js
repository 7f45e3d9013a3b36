#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled to dist/cli.js by `npm run build` (run automatically by `npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('promptmeter: dist/cli.js is missing. Run `npm run build` first.\n');
  process.exit(2);
}
require(cli).runCli();
