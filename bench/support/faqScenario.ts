import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { parsePromptMarkdown } from '../../src/core/prompts/promptMarkdown';
import type { PromptDefinition } from '../../src/core/prompts/promptTypes';
import { parseDataset } from '../../src/core/runs/dataset';
import { promptRequest, type ChatRequestBody } from '../../src/core/runs/promptRequest';

/** One row of `examples/faq/questions.csv`; `intent` is the hand-assigned ground truth (never sent). */
export interface FaqQuestion {
  /** 1-based, as run jobs number dataset rows. */
  readonly row: number;
  readonly question: string;
  /** The category the customer picked in the support form; names the document naive code stuffs in. */
  readonly topic: string;
  readonly intent: string;
}

export interface FaqDocument {
  readonly file: string;
  readonly text: string;
}

export interface FaqScenario {
  /** `examples/faq`. */
  readonly folder: string;
  readonly documents: readonly FaqDocument[];
  readonly questions: readonly FaqQuestion[];
  /** `answer.prompt.md` as written. */
  readonly promptText: string;
  readonly prompt: PromptDefinition;
}

/** The support-form category → the one help-center document about it (what the naive pipeline sends whole). */
export const TOPIC_DOCUMENTS: Readonly<Record<string, string>> = {
  account: 'account-and-sign-in.md',
  billing: 'billing-and-plans.md',
  security: 'single-sign-on-and-security.md',
  members: 'members-and-roles.md',
  integrations: 'integrations-and-api.md',
  data: 'data-and-privacy.md',
  projects: 'projects-and-time-tracking.md',
};

/** The field guide's "before" model: a large one. */
export const NAIVE_MODEL = 'gpt-4o';

/** Reads the documents, the labelled questions and the answer prompt of `examples/faq`. */
export function loadFaqScenario(folder: string): FaqScenario {
  const documentsFolder = path.join(folder, 'docs');
  const documents = readdirSync(documentsFolder)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => ({ file, text: readFileSync(path.join(documentsFolder, file), 'utf8') }));
  const dataset = parseDataset('questions.csv', readFileSync(path.join(folder, 'questions.csv'), 'utf8'));
  if (dataset.problems.length > 0) throw new Error(`questions.csv: ${dataset.problems.join('; ')}`);
  const questions = dataset.rows.map((row, index) => ({
    row: index + 1,
    question: row['question'] ?? '',
    topic: row['topic'] ?? '',
    intent: row['intent'] ?? '',
  }));
  for (const question of questions) {
    if (!TOPIC_DOCUMENTS[question.topic])
      throw new Error(`questions.csv row ${question.row}: unknown topic "${question.topic}"`);
  }
  const promptText = readFileSync(path.join(folder, 'answer.prompt.md'), 'utf8');
  const parsed = parsePromptMarkdown('answer.prompt.md', promptText);
  const prompt = parsed.prompts[0];
  if (!prompt || parsed.diagnostics.some((diagnostic) => diagnostic.severity === 'error'))
    throw new Error('answer.prompt.md does not parse');
  return { folder, documents, questions, promptText, prompt };
}

/**
 * What naive code sends for one question: the same instructions, the whole document of the question's
 * category as context, the large model, and no `max_tokens` (the answer may be as long as the model likes).
 */
export function naiveRequest(scenario: FaqScenario, question: FaqQuestion): ChatCompletionCreateParamsNonStreaming {
  const file = TOPIC_DOCUMENTS[question.topic]!;
  const document = scenario.documents.find((candidate) => candidate.file === file);
  if (!document) throw new Error(`docs/${file} is missing`);
  const body = promptRequest(scenario.prompt, NAIVE_MODEL, {
    question: question.question,
    context: document.text,
  }) as ChatRequestBody;
  delete body.max_tokens;
  return body as unknown as ChatCompletionCreateParamsNonStreaming;
}
