import type * as vscode from 'vscode';

/**
 * Documents providers register for. Patterns as well as languages, because VS Code 1.100 gives `*.prompt.md`
 * its own `prompt` language. Plain `.md` / `.txt` are filtered further by the prompt-folder setting.
 */
export const PROMPT_DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.prompt.md' },
  { pattern: '**/*.prompty' },
  { pattern: '**/*.prompt' },
  { pattern: '**/*.prompt.yml' },
  { pattern: '**/*.prompt.yaml' },
  { pattern: '**/*.jsonl' },
  { pattern: '**/*.md' },
  { pattern: '**/*.txt' },
  { language: 'prompt' },
  { language: 'prompty' },
  { language: 'dotprompt' },
];
