// Builds every bundle: extension (node/cjs, `vscode` external), webview (browser/iife), CLI, and the tests.
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** tiktoken's lite WASM and the two rank files we use are loaded from dist/assets at run time. */
function copyTokenizerAssets() {
  const target = path.join('dist', 'assets', 'tiktoken');
  mkdirSync(target, { recursive: true });
  const liteDirectory = path.dirname(require.resolve('tiktoken/lite/init'));
  cpSync(path.join(liteDirectory, 'tiktoken_bg.wasm'), path.join(target, 'tiktoken_bg.wasm'));
  const encoders = path.join(path.dirname(require.resolve('tiktoken')), 'encoders');
  for (const name of ['o200k_base.json', 'cl100k_base.json']) {
    cpSync(path.join(encoders, name), path.join(target, name));
  }
}

function findTests(directory) {
  const found = [];
  for (const entry of readdirSync(directory)) {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

/** Reports errors in the format the `$esbuild-watch` problem matcher understands. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: watch ? [problemMatcherPlugin] : [],
};

// jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };

const builds = [
  { ...nodeCommon, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...nodeCommon, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/compareMain.ts'], outfile: 'dist/compare.js' },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/runView.ts'], outfile: 'dist/runView.js' },
  {
    ...nodeCommon,
    sourcemap: true,
    minify: false,
    // Tests, plus stand-alone helpers that benches and e2e start as child processes.
    entryPoints: [...findTests('test'), ...['test/server/main.ts', 'test/support/clientProcess.ts'].filter((file) => existsSync(file))],
    outdir: 'out/test',
    outbase: 'test',
    packages: 'external',
  },
  {
    ...nodeCommon,
    sourcemap: true,
    minify: false,
    entryPoints: readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => path.join('bench', f)),
    outdir: 'out/bench',
    packages: 'external',
  },
].filter((options) => (options.entryPoints?.length ?? 0) > 0);

copyTokenizerAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
