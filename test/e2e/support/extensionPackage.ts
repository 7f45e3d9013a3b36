import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './paths';

/**
 * Packages the extension in `folder` into a .vsix with the repository's own vsce and returns its path
 * (`outFile`, or `<folder>/<name>.vsix`). Meant for throwaway extensions a test writes; the real extension is
 * packaged by `npm run package`. Flags keep vsce from asking questions: no dependency walk (nothing to bundle),
 * no repository field, no LICENSE file required.
 */
export async function packageExtension(folder: string, outFile?: string): Promise<string> {
  const vsce = path.join(repositoryRoot(), 'node_modules', '.bin', 'vsce');
  if (!existsSync(vsce)) throw new Error(`vsce not found at ${vsce}: run 'npm ci' in the repository`);
  const target = path.resolve(outFile ?? path.join(folder, `${path.basename(folder)}.vsix`));
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', target];
  const child = spawn(vsce, args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(target)) {
    throw new Error(`vsce package in ${folder} failed (exit ${code}):\n${output.trim()}`);
  }
  return target;
}
