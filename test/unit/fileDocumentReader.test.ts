// Documents a prompt includes are read relative to the prompt, inside the folder its path is relative to: one root
// (the CLI's working folder) or, in a multi-root workspace, the folder that holds that prompt.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFileDocumentReader } from '../../src/core/chunking/fileDocumentReader';

function folders(): { a: string; b: string; remove(): void } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pm-reader-'));
  const a = path.join(base, 'a');
  const b = path.join(base, 'b');
  for (const [root, text] of [
    [a, 'document of a'],
    [b, 'document of b'],
  ] as const) {
    mkdirSync(path.join(root, 'prompts'), { recursive: true });
    writeFileSync(path.join(root, 'prompts', 'doc.md'), text);
    writeFileSync(path.join(root, '.env'), `FOLDER=${path.basename(root)}\n`);
  }
  writeFileSync(path.join(b, 'prompts', 'only-in-b.prompt.md'), '{{file:doc.md}}');
  return { a, b, remove: () => rmSync(base, { recursive: true, force: true }) };
}

test('one root: documents resolve beside the prompt inside that root', () => {
  const { a, remove } = folders();
  try {
    const read = createFileDocumentReader(a);
    assert.equal(read('prompts/x.prompt.md', 'doc.md'), 'document of a');
    assert.equal(read('', '.env'), 'FOLDER=a\n');
    assert.equal(read('prompts/x.prompt.md', 'missing.md'), undefined);
  } finally {
    remove();
  }
});

test('a root per prompt: each prompt reads from its own folder; undefined reads nothing', () => {
  const { a, b, remove } = folders();
  try {
    const rootOf = (file: string) => (file === 'prompts/only-in-b.prompt.md' ? b : file === 'none' ? undefined : a);
    const read = createFileDocumentReader(rootOf);
    assert.equal(read('prompts/only-in-b.prompt.md', 'doc.md'), 'document of b');
    assert.equal(read('prompts/other.prompt.md', 'doc.md'), 'document of a');
    assert.equal(read('none', 'doc.md'), undefined);
    assert.equal(read.readHead?.('prompts/only-in-b.prompt.md', 'doc.md', 8)?.toString(), 'document');
    assert.equal(read.readHead?.('none', 'doc.md', 8), undefined);
  } finally {
    remove();
  }
});

test('an absolute prompt path needs no root', () => {
  const { b, remove } = folders();
  try {
    const read = createFileDocumentReader(() => '');
    assert.equal(read(path.join(b, 'prompts', 'only-in-b.prompt.md'), 'doc.md'), 'document of b');
  } finally {
    remove();
  }
});
