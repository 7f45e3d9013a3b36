import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './paths';

/** The packaged Prompt Meter extension (`npm run package` builds it; `scripts/test.sh` runs that first). */
export function promptMeterVsix(): string {
  const vsix = path.join(repositoryRoot(), 'promptmeter.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run 'npm run package' before the e2e tests`);
  return vsix;
}

/** Files of `examples/` as a workspace map (relative path → content). */
export function exampleFiles(): Record<string, string> {
  const root = path.join(repositoryRoot(), 'examples');
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(root, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** Runs the CLI (`bin/promptmeter.js`) in `cwd` and parses its `--json` output. */
export function cliJson<T>(args: readonly string[], cwd: string, environment: NodeJS.ProcessEnv = process.env): T {
  const result = spawnSync(
    process.execPath,
    [path.join(repositoryRoot(), 'bin', 'promptmeter.js'), ...args, '--json'],
    { cwd, encoding: 'utf8', env: environment },
  );
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`promptmeter ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
