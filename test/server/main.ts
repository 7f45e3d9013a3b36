import { parseCommandLine } from './commandLine';
import { startTestServer } from './index';

/**
 * Stand-alone test server for benches and e2e: `node out/test/server/main.js --port 0 --rpm 600 --latency-ms 20`.
 * Prints exactly one JSON line `{"url": …, "port": …}` once listening; stops on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const server = await startTestServer(parseCommandLine(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`test server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
