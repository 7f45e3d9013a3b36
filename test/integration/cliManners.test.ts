import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { repositoryRoot } from '../support/repository';

const root = repositoryRoot();

describe('CLI manners', () => {
  it('--help and -h print the usage with the exit codes and exit 0, also after a command', async () => {
    for (const args of [['--help'], ['-h'], ['run', '--help'], ['estimate', '-h']]) {
      const result = await runCli(args, root);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /Usage:/);
      assert.match(result.stdout, /Exit codes:\n {2}0 {2}done/);
      assert.equal(result.stderr, '');
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version'], root);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `promptmeter ${version}\n`);
  });

  it('a reader that goes away (| head -1) ends the CLI quietly: no EPIPE stack trace', async () => {
    // Output well past a pipe's 64 KB buffer, so writes after the reader left fail with EPIPE.
    const folder = mkdtempSync(path.join(tmpdir(), 'pm-epipe-'));
    for (let index = 0; index < 1500; index++)
      writeFileSync(
        path.join(folder, `p${index}.prompt.md`),
        `---\nmodel: gpt-4o-mini\nmax_tokens: 20\n---\nHello number ${index}\n`,
      );
    const child = spawn(process.execPath, [path.join(root, 'bin', 'promptmeter.js'), 'estimate', '.'], {
      cwd: folder,
      env: { PATH: process.env.PATH },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk, then close the pipe, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    assert.doesNotMatch(stderr, /EPIPE|at .*\(.*:\d+:\d+\)/);
    assert.ok(code === 0 || code === 1, `exit ${code}`);
  });

  it('an unknown option is a usage error (exit 2) naming it, without a stack trace', async () => {
    const result = await runCli(['estimate', 'examples', '--frobnicate'], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--frobnicate/);
    assert.doesNotMatch(result.stderr, /at .*\(.*:\d+:\d+\)/);
  });
});
