import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found from the bundled test's own folder (out/test/...) or the source tree. */
export function repositoryRoot(): string {
  let directory = __dirname;
  while (!existsSync(path.join(directory, 'package.json')) || !existsSync(path.join(directory, 'esbuild.mjs'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`repository root not found above ${__dirname}`);
    directory = parent;
  }
  return directory;
}

/** Where `node esbuild.mjs` copies tiktoken's WASM and rank files. */
export function tokenizerAssets(): string {
  return path.join(repositoryRoot(), 'dist', 'assets', 'tiktoken');
}
