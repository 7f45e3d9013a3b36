import { parseSettings } from '../core/settings/settings';
import { UsageError } from './cliArguments';
import { defaultAssetDirectory, ESTIMATE_USAGE, estimateCommand, type CommandIo } from './estimateCommand';
import { REPORT_USAGE, reportCommand } from './reportCommand';

const USAGE = `Prompt Meter — token counts, costs and cheaper-model advice for prompt files.

Usage:
  ${ESTIMATE_USAGE}
  ${REPORT_USAGE}

Options:
  --model M   estimate every prompt on model M instead of the model in the file
  --json      print exactly one JSON object
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
    const { settings } = parseSettings({});
    if (command === 'estimate') return await estimateCommand(rest, settings, io);
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
  void main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    assetDirectory: defaultAssetDirectory(),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runCli();
