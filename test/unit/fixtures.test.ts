import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promptFormatFor } from '../../src/core/prompts/promptFileKind';
import { loadedTokenizers, testEstimator } from '../support/estimator';
import { repositoryRoot } from '../support/repository';

/** The broken-input fixtures; expected 1-based lines come from test/fixtures/prompts/README.md. */
const fixtures = path.join(repositoryRoot(), 'test', 'fixtures', 'prompts');
const tokenizers = loadedTokenizers();

async function diagnosticsOf(name: string) {
  const text = readFileSync(path.join(fixtures, name), 'utf8');
  const estimator = testEstimator(tokenizers);
  const format = promptFormatFor(name, [])!;
  const file = await estimator.estimate(estimator.parse(name, text, format), text);
  return {
    file,
    lines: file.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.span.start.line + 1] as const),
  };
}

describe('broken-input fixtures: a clear message at the right line, never an exception', () => {
  it('broken YAML indentation → error on line 7', async () => {
    const { lines } = await diagnosticsOf('broken-yaml-indent.prompt.md');
    assert.ok(
      lines.some(([code, line]) => code === 'front-matter-yaml' && line === 7),
      JSON.stringify(lines),
    );
  });
  it('unterminated front matter → error on line 1', async () => {
    assert.deepEqual(
      (await diagnosticsOf('unterminated-front-matter.prompt.md')).lines.find(
        ([code]) => code === 'front-matter-unclosed',
      ),
      ['front-matter-unclosed', 1],
    );
  });
  it('unknown model → warning on line 2 and price unknown', async () => {
    const { file, lines } = await diagnosticsOf('unknown-model.prompt.md');
    assert.deepEqual(
      lines.find(([code]) => code === 'unknown-model'),
      ['unknown-model', 2],
    );
    assert.equal(file.estimates[0]!.cost, undefined);
  });
  it('malformed batch → line 3 malformed, line 5 missing body, other lines estimated', async () => {
    const { file, lines } = await diagnosticsOf('malformed-batch.jsonl');
    assert.deepEqual(
      lines.filter(([code]) => code.startsWith('batch')),
      [
        ['batch-json', 3],
        ['batch-line', 5],
      ],
    );
    assert.equal(file.estimates.length, 4);
  });
  it('unknown variable in Prompty → warning on line 22', async () => {
    assert.deepEqual(
      (await diagnosticsOf('unknown-variable.prompty')).lines.find(([code]) => code === 'variable-without-sample'),
      ['variable-without-sample', 22],
    );
  });
  it('<|endoftext|> is counted, and explained', async () => {
    const { file, lines } = await diagnosticsOf('endoftext.prompt.md');
    assert.ok(file.estimates[0]!.inputTokens > 0);
    assert.ok(lines.some(([code]) => code === 'special-token-text'));
  });
  it('no max_tokens → warning with a fix on line 1', async () => {
    const { file, lines } = await diagnosticsOf('no-max-tokens.prompt.md');
    assert.deepEqual(
      lines.find(([code]) => code === 'missing-max-tokens'),
      ['missing-max-tokens', 1],
    );
    assert.equal(
      file.diagnostics.find((diagnostic) => diagnostic.code === 'missing-max-tokens')!.fix?.kind,
      'set-max-tokens',
    );
  });
  it('an empty file is an empty prompt, not a crash', async () => {
    const { file } = await diagnosticsOf('empty.prompt.md');
    assert.equal(file.estimates.length, 1);
  });
  it('a binary file is refused with a message', async () => {
    const { file, lines } = await diagnosticsOf('binary.prompt.md');
    assert.equal(file.estimates.length, 0);
    assert.deepEqual(lines, [['binary-file', 1]]);
  });
});
