// Every recommendation Prompt Meter offers on examples/, applied with its edits and run against the test server
// (which answers as OpenAI does: parameter rules, hidden reasoning tokens). Prints JSON, then one summary line.
// Run: node esbuild.mjs && node out/bench/recommendations.js [--before ESTIMATE.json [--before-cli BIN]]
// --before: the `promptmeter estimate examples --json` of another build; its recommended models are applied model
// only (as its Apply did) and run the same way (with that build's bin/promptmeter.js given as --before-cli, so
// what it would have sent reaches the server), next to this build's recommendations with their edits.
import { readFileSync } from 'node:fs';
import { recommendationTrial, type TrialRow } from './support/recommendationTrial';
import { startServerProcess } from './support/testServerProcess';
import { fakeApiKey } from '../test/support/fakeKeys';

function summary(label: string, rows: readonly TrialRow[]): string {
  const applied = rows.filter((row) => row.run);
  const sum = (key: 'answered' | 'truncated' | 'rejected' | 'refused' | 'failed') =>
    applied.reduce((total, row) => total + (row.run?.[key] ?? 0), 0);
  return `${label}: ${applied.length} of ${rows.length} example prompts changed; applied runs answered ${sum('answered')}, truncated ${sum('truncated')}, rejected by the API ${sum('rejected')}, refused before sending ${sum('refused')}, failed ${sum('failed')}`;
}

/** file (relative to examples/) → recommended model, from an estimate --json report of examples/. */
function olderRecommendations(file: string): Record<string, string> {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    prompts: Array<{ file: string; recommendation: { model: string } | null }>;
  };
  const models: Record<string, string> = {};
  for (const prompt of report.prompts) {
    const relative = prompt.file.replace(/^examples\//, '');
    if (prompt.recommendation && !(relative in models)) models[relative] = prompt.recommendation.model;
  }
  return models;
}

async function main(): Promise<void> {
  const server = await startServerProcess({ latencyMs: 20, rpm: 3000, tpm: 2_000_000, seed: 7 });
  try {
    const key = fakeApiKey('bench-recommendations');
    const rows = await recommendationTrial(server.url, key);
    const beforeFile = process.argv[process.argv.indexOf('--before') + 1];
    const beforeCli = process.argv.includes('--before-cli')
      ? process.argv[process.argv.indexOf('--before-cli') + 1]
      : undefined;
    const before =
      process.argv.includes('--before') && beforeFile
        ? await recommendationTrial(server.url, key, {
            modelOnly: olderRecommendations(beforeFile),
            ...(beforeCli ? { cli: beforeCli } : {}),
          })
        : undefined;
    console.log(JSON.stringify({ rows, ...(before ? { before } : {}) }, null, 2));
    console.log(summary('recommendations (with edits)', rows));
    if (before) console.log(summary(`older build's recommendations (model only, ${beforeFile})`, before));
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
