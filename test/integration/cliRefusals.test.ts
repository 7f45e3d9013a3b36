import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { fakeApiKey } from '../support/fakeKeys';

const KEY = fakeApiKey('refusals');

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-refuse-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

describe('run refuses what the API would reject, before anything is sent', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 5 });
  });
  after(() => server.close());

  it('temperature 0 on a reasoning model: exit 2, file, line, parameter and fix named, 0 HTTP requests', async () => {
    server.reset();
    const folder = folderWith({
      'classify.prompt.md': '---\nmodel: gpt-5-nano\nmax_tokens: 400\ntemperature: 0\n---\nBilling or bug?\n',
    });
    const result = await runCli(['run', 'classify.prompt.md', '--base-url', server.url], folder, {
      OPENAI_API_KEY: KEY,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /classify\.prompt\.md:4: not sent — gpt-5-nano is a reasoning model: 'temperature' does not support 0/,
    );
    assert.match(result.stderr, /Fix: Remove temperature\./);
    assert.equal(server.stats().requests, 0);
  });

  it('max_tokens -5 is refused (it would go out without a cap); the valid prompt beside it runs and the exit code says one was refused', async () => {
    server.reset();
    const folder = folderWith({
      'bad.prompt.md': '---\nmodel: gpt-4o-mini\nmax_tokens: -5\n---\nHello\n',
      'good.prompt.md': '---\nmodel: gpt-4o-mini\nmax_tokens: 20\n---\nHello there\n',
    });
    const result = await runCli(['run', '.', '--base-url', server.url, '--json'], folder, { OPENAI_API_KEY: KEY });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      results: Array<{ id: string }>;
      refused: Array<{ file: string; line: number; message: string }>;
    };
    assert.deepEqual(
      report.results.map((entry) => entry.id),
      ['good.prompt.md'],
    );
    assert.equal(report.refused.length, 1);
    assert.equal(report.refused[0]!.file, 'bad.prompt.md');
    assert.equal(report.refused[0]!.line, 3);
    assert.match(report.refused[0]!.message, /max_tokens must be a whole number above 0/);
    assert.equal(server.stats().requests, 1, 'only the valid prompt was sent');
  });

  it('estimate lists the rejected parameter as an error row in text and --json', async () => {
    const folder = folderWith({ 'a.prompt.md': '---\nmodel: gpt-5-mini\nmax_tokens: 16\ntemperature: 0\n---\nHi\n' });
    const text = await runCli(['estimate', 'a.prompt.md'], folder);
    assert.match(text.stdout, /a\.prompt\.md:4 {2}error {2}gpt-5-mini is a reasoning model: 'temperature'/);
    assert.match(
      text.stdout,
      /a\.prompt\.md:1 {2}warning {2}gpt-5-mini is expected to spend ~1,536 hidden reasoning tokens/,
    );
    const json = JSON.parse((await runCli(['estimate', 'a.prompt.md', '--json'], folder)).stdout) as {
      diagnostics: Array<{ code: string; severity: string; line: number }>;
      prompts: Array<{ reasoning: { effort: string; expectedTokens: number; source: string } }>;
    };
    assert.deepEqual(
      json.diagnostics
        .filter((entry) => entry.code === 'rejected-parameter')
        .map((entry) => [entry.severity, entry.line]),
      [['error', 4]],
    );
    assert.deepEqual(json.prompts[0]!.reasoning.effort, 'medium');
    assert.equal(json.prompts[0]!.reasoning.source, 'assumed');
  });

  it('a json_schema is said to be sent and not counted, with its size', async () => {
    const folder = folderWith({
      's.prompt.md':
        '---\nmodel: gpt-4o-mini\nmax_tokens: 50\nresponse_format:\n  type: json_schema\n  json_schema: {name: label, schema: {type: object, properties: {label: {type: string}}}}\n---\nLabel it.\n',
    });
    const json = JSON.parse((await runCli(['estimate', 's.prompt.md', '--json'], folder)).stdout) as {
      diagnostics: Array<{ code: string; line: number; message: string }>;
    };
    const note = json.diagnostics.find((entry) => entry.code === 'schema-not-counted');
    assert.equal(note?.line, 4);
    assert.match(
      note?.message ?? '',
      /json_schema \(~\d+ tokens as JSON\) is sent with every call and billed as input; it is not included/,
    );
  });
});
