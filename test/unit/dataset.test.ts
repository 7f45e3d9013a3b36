import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { parseDataset, readDatasetFile } from '../../src/core/runs/dataset';

describe('CSV datasets (csv-parse)', () => {
  it('reads BOM, CRLF and LF, doubled quotes and newlines in quotes; names the line of each broken row', () => {
    const dataset = parseDataset('a.csv', '\uFEFFq,n\r\n"a ""b""",1\r\n"multi\nline",2\n3\n"open,4\n5,6\n');
    assert.deepEqual(dataset.columns, ['q', 'n']);
    assert.deepEqual(dataset.rows, [
      { q: 'a "b"', n: '1' },
      { q: 'multi\nline', n: '2' },
    ]);
    assert.deepEqual(dataset.problems, [
      'line 5: 1 cells, the header has 2; row skipped.',
      'line 6: a quoted cell is never closed.',
    ]);
  });

  it('an empty file needs a header', () => {
    assert.deepEqual(parseDataset('a.csv', '').problems, [
      'the dataset is empty: it needs a header line with column names.',
    ]);
  });
});

describe('invalid UTF-8', () => {
  it('a dataset that is not UTF-8 gets a problem with its line', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pm-utf8-'));
    const file = path.join(folder, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('q\nok\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const dataset = readDatasetFile(file)!;
    assert.equal(dataset.rows.length, 2);
    assert.match(dataset.problems[0]!, /^line 3: the file is not valid UTF-8/);
  });

  it('a prompt read with replacement characters gets a warning at that line', () => {
    const text = Buffer.concat([
      Buffer.from('---\nmodel: gpt-4o\n---\nCaf'),
      Buffer.from([0xe9]),
      Buffer.from(' menu\n'),
    ]).toString('utf8');
    const parsed = parsePromptFile('a.prompt.md', text, 'prompt-markdown');
    const warning = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'invalid-utf8');
    assert.equal(warning?.severity, 'warning');
    assert.equal(warning?.span.start.line, 3);
  });
});
