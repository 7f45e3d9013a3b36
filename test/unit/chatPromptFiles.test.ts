import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  isChatPromptLocation,
  markdownAssociationPattern,
  usesPromptMeterFrontMatter,
} from '../../src/core/prompts/chatPromptFiles';
import { repositoryRoot } from '../support/repository';

describe('chat prompt files vs Prompt Meter prompt files', () => {
  it('recognises Prompt Meter front matter, not a Copilot chat prompt file', () => {
    const example = readFileSync(path.join(repositoryRoot(), 'examples', 'prompts', 'faq-answer.prompt.md'), 'utf8');
    assert.equal(usesPromptMeterFrontMatter(example), true);
    assert.equal(
      usesPromptMeterFrontMatter(
        '---\nmode: agent\nmodel: GPT-4o\ntools: [codebase]\ndescription: Review\n---\nReview ${file}\n',
      ),
      false,
    );
    assert.equal(
      usesPromptMeterFrontMatter('No front matter\nmax_tokens: 5\n'),
      false,
      'keys outside front matter do not count',
    );
    assert.equal(usesPromptMeterFrontMatter('---\r\nmodel: gpt-4o\r\nmax_tokens: 5\r\n---\r\nHi'), true);
    assert.equal(
      usesPromptMeterFrontMatter('---\ndescription: x\n---\nmax_tokens: 5\n'),
      false,
      'only the front matter is read',
    );
  });

  it('leaves .github (where VS Code looks for chat prompt files) alone', () => {
    assert.equal(isChatPromptLocation('.github/prompts/review.prompt.md'), true);
    assert.equal(isChatPromptLocation('app/.github/prompts/review.prompt.md'), true);
    assert.equal(isChatPromptLocation('prompts/faq.prompt.md'), false);
  });

  it('associates the folder of the file, or only the file at the workspace root', () => {
    assert.equal(markdownAssociationPattern('examples/prompts/faq.prompt.md'), '**/examples/prompts/**/*.prompt.md');
    assert.equal(markdownAssociationPattern('prompts\\faq.prompt.md'), '**/prompts/**/*.prompt.md');
    assert.equal(markdownAssociationPattern('faq.prompt.md'), '**/faq.prompt.md');
  });
});
