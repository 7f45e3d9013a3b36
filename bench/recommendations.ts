// Every recommendation Prompt Meter offers on examples/, applied with its edits and run against the test server
// (which answers as OpenAI does: parameter rules, hidden reasoning tokens). Prints JSON, then one summary line.
// Run: node esbuild.mjs && node out/bench/recommendations.js
import { recommendationTrial } from './support/recommendationTrial';
import { startServerProcess } from './support/testServerProcess';
import { fakeApiKey } from '../test/support/fakeKeys';

async function main(): Promise<void> {
  const server = await startServerProcess({ latencyMs: 20, rpm: 3000, tpm: 2_000_000, seed: 7 });
  try {
    const rows = await recommendationTrial(server.url, fakeApiKey('bench-recommendations'));
    console.log(JSON.stringify({ rows }, null, 2));
    const applied = rows.filter((row) => row.run);
    const sum = (key: 'answered' | 'truncated' | 'rejected' | 'failed') => applied.reduce((total, row) => total + (row.run?.[key] ?? 0), 0);
    console.log(
      `recommendations: ${applied.length} of ${rows.length} example prompts changed; applied runs answered ${sum('answered')}, truncated ${sum('truncated')}, rejected ${sum('rejected')}, failed ${sum('failed')}`,
    );
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
