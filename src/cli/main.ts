import { parseSettings } from '../core/settings/settings';
import { UsageError } from './cliArguments';
import { defaultAssetDirectory, ESTIMATE_USAGE, estimateCommand, type CommandIo } from './estimateCommand';
import { REPORT_USAGE, reportCommand } from './reportCommand';
import { RUN_USAGE, runCommand } from './runCommand';
import { readWorkspaceSettings } from './workspaceSettings';

const USAGE = `Prompt Meter — token counts, costs and cheaper-model advice for prompt files.

Usage:
  ${ESTIMATE_USAGE}
  ${RUN_USAGE}
  ${REPORT_USAGE}

Options:
  --model M   estimate every prompt on model M instead of the model in the file
  --json      print exactly one JSON object
  run: the API key comes from OPENAI_API_KEY; results go to .promptmeter/runs/<run-id>/, every call to
       .promptmeter/ledger.jsonl, answers are cached in .promptmeter/cache (and Redis if configured).
       Exit 0 all answered, 1 some failed, 3 stopped (out of quota; resumable), 4 over budget, 130 cancelled.
  --redis-url URL  run: Redis (also PROMPTMETER_REDIS_URL, or promptmeter.cache.redisUrl) shared by every process
       on the account: one pair of rate-limit buckets, and identical calls in flight made once
  --since D   report: entries from date D on (default: this month); --range today|last7Days|month|all
  --ledger F  report: read the ledger F instead of .promptmeter/ledger.jsonl
`;

/** Runs one CLI invocation; returns the exit code (2 for bad arguments). */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    const workspaceSettings = readWorkspaceSettings(io.cwd);
    if (workspaceSettings.problem) io.stderr(`promptmeter: ${workspaceSettings.problem}\n`);
    const { settings, problems } = parseSettings(workspaceSettings.raw);
    for (const problem of problems) io.stderr(`promptmeter: ${problem}\n`);
    if (command === 'estimate') return await estimateCommand(rest, settings, io);
    if (command === 'run') return await runCommand(rest, settings, io);
    if (command === 'report') return await reportCommand(rest, io);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`promptmeter: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`promptmeter: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Runs the CLI for this process (bin/promptmeter.js calls this; so does `node dist/cli.js`). */
export function runCli(): void {
  const interrupted = new AbortController();
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
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runCli();
