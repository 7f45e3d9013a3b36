import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseSettings } from '../core/settings/settings';
import { UsageError } from './cliArguments';
import { COMPARE_USAGE, compareCommand, type CompareIo } from './compareCommand';
import { defaultAssetDirectory, ESTIMATE_USAGE, estimateCommand } from './estimateCommand';
import { REPORT_USAGE, reportCommand } from './reportCommand';
import { RUN_USAGE, runCommand } from './runCommand';
import { readWorkspaceSettings } from './workspaceSettings';

const USAGE = `Prompt Meter — token counts, costs and cheaper-model advice for prompt files.

Usage:
  ${ESTIMATE_USAGE}
  ${RUN_USAGE}
  ${REPORT_USAGE}
  ${COMPARE_USAGE}

Options:
  --model M   estimate every prompt on model M instead of the model in the file
  --json      print exactly one JSON object
  run: the API key comes from OPENAI_API_KEY; results go to .promptmeter/runs/<run-id>/, every call to the
       ledger .promptmeter/ledger/ (a JSONL file per month, with daily rollups), answers are cached in
       .promptmeter/cache (and Redis if configured). Prompts the model would reject (or with errors in the
       file) are refused before anything is sent.
  --redis-url URL  run: Redis (also PROMPTMETER_REDIS_URL, or promptmeter.cache.redisUrl) shared by every process
       on the account: one pair of rate-limit buckets, and identical calls in flight made once
  --since D   report: entries from date D on (default: this month); --range today|last7Days|month|all
  --ledger F  report: read the ledger F (a JSONL file, or a ledger folder) instead of .promptmeter/ledger/
  --all       report: every row of every list (by default the longest lists show their top rows and "N more")
  compare: the current model and up to three cheaper candidates (with the edits each needs) answer --rows N
       sampled rows (default 20) of the prompt's dataset; shows the estimated cost and asks first (--yes skips it);
       scores by the prompt's evaluators or agreement with the current model; saved in .promptmeter/comparisons/.
  --help, -h  this text; --version, -V  the version; --debug  stack traces for unexpected errors

Exit codes:
  0  done (estimate: no errors; run: every job answered)
  1  estimate: a file has errors; run: some jobs failed (retry only those with --retry-failed <run-id>) or were refused; any command: an unexpected error
  2  bad arguments, or run: nothing was sent because every prompt was refused, or compare: not confirmed
  3  run stopped (out of quota, key rejected, not an API); resume with --resume <run-id>
  4  run not started: over budget (--allow-over-budget starts it anyway)
  130  cancelled (Ctrl+C); resume with --resume <run-id>
`;

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h', 'help']);
const VERSION_FLAGS: ReadonlySet<string> = new Set(['--version', '-V', 'version']);

/** Runs one CLI invocation; returns the exit code (2 for bad arguments). */
export async function main(givenArgv: readonly string[], io: CompareIo): Promise<number> {
  const debug = givenArgv.includes('--debug');
  const argv = givenArgv.filter((argument) => argument !== '--debug');
  const [command, ...rest] = argv;
  try {
    if (
      command === undefined ||
      HELP_FLAGS.has(command) ||
      rest.some((argument) => argument === '--help' || argument === '-h')
    ) {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (VERSION_FLAGS.has(command)) {
      io.stdout(`promptmeter ${packageVersion()}\n`);
      return 0;
    }
    const workspaceSettings = readWorkspaceSettings(io.cwd);
    if (workspaceSettings.problem) io.stderr(`promptmeter: ${workspaceSettings.problem}\n`);
    const { settings, problems } = parseSettings(workspaceSettings.raw);
    for (const problem of problems) io.stderr(`promptmeter: ${problem}\n`);
    if (command === 'estimate') return await estimateCommand(rest, settings, io);
    if (command === 'run') return await runCommand(rest, settings, io);
    if (command === 'report') return await reportCommand(rest, io);
    if (command === 'compare') return await compareCommand(rest, settings, io);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`promptmeter: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(
      `promptmeter: ${(error as Error).message}\n${debug && (error as Error).stack ? `${(error as Error).stack}\n` : ''}`,
    );
    return 1;
  }
}

/** The version in the package.json next to the bundle (dist/cli.js → ../package.json). */
function packageVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

/** A yes/no question on the terminal (compare asks before spending). */
async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

/** Runs the CLI for this process (bin/promptmeter.js calls this; so does `node dist/cli.js`). */
export function runCli(): void {
  const interrupted = new AbortController();
  // `promptmeter estimate dir | head -1`: the reader went away. Stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const debug = process.argv.includes('--debug');
  process.on('uncaughtException', (error) => {
    process.stderr.write(
      `promptmeter: unexpected error: ${error.message}${debug ? `\n${error.stack ?? ''}` : ' (run with --debug for details)'}\n`,
    );
    process.exit(1);
  });
  // First Ctrl+C cancels the run cleanly (unsent jobs stay pending for --resume); a second one exits at once.
  process.once('SIGINT', () => {
    interrupted.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  void main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    assetDirectory: defaultAssetDirectory(),
    env: process.env,
    signal: interrupted.signal,
    interactive: process.stderr.isTTY === true,
    ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runCli();
