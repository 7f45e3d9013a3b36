import type { PromptDefinition, PromptMessage, TaskKind } from '../prompts/promptTypes';

/** Keyword evidence per task, strongest signal first; matched on the rendered system + user text. */
const SIGNALS: ReadonlyArray<readonly [TaskKind, RegExp, number]> = [
  ['translate', /\btranslat\w*|번역|übersetz\w*|tradu[cz]\w*|翻訳/gi, 3],
  ['summarize', /\bsummar\w*|\btl;?dr\b|요약|key (?:points|takeaways)|\bcondense\b|\bdigest\b/gi, 3],
  [
    'classify',
    /\bclassif\w*|\bcategor(?:y|ies|i[sz]\w*)\b|\blabels?\b|one of the following|exactly one (?:label|category|queue|of)\b|\bsentiment\b|\btriage\b|\broute\w* (?:the|this|each|an?)\b/gi,
    3,
  ],
  ['extract', /\bextract\w*|\bjson\b|\bfields?\b|\bschema\b|\bparse (?:this|the)\b/gi, 2],
  [
    'code',
    /```|\bcode review\b|\breview (?:this|the) (?:code|diff|pull request|change)|\bfunction\b|\btypescript\b|\bpython\b|\brefactor\w*|\bdiff\b|\bunit tests?\b/gi,
    2,
  ],
  [
    'reasoning',
    /step[- ]by[- ]step|\bprove\b|\b(?:make|write|draft|produce|create) an? (?:\w+ )?plan\b|\btrade-?offs?\b|multi-step|\breason (?:through|about)\b|\bderive\b|\bsequenc\w+ (?:the|of) (?:steps|phases)\b|\brollback\b/gi,
    2,
  ],
  [
    'rewrite',
    /\brewrit\w*|\brephras\w*|\bparaphras\w*|\bproofread\w*|\bpolish\b|\btone\b|make (?:it|this) (?:more|less)/gi,
    2,
  ],
  ['qa', /\banswer\w*|\bquestions?\b|\bfaq\b|\bhelp ?desk\b|\bsupport agent\b/gi, 1],
];

/** A prompt's task: the declared `task:`, else detected from its text (embedding requests are always "embedding"). */
export function detectTask(prompt: PromptDefinition): { task: TaskKind; source: 'declared' | 'detected' } {
  if (prompt.declaredTask) return { task: prompt.declaredTask, source: 'declared' };
  if (prompt.kind === 'embedding') return { task: 'embedding', source: 'detected' };
  // Only the template's own words: sample values ("Team plan") say nothing about the task.
  const text = prompt.messages
    .filter((message) => message.role !== 'assistant')
    .map((message) => templateText(message.content, message.insertions, TASK_TEXT_CHARACTERS))
    .join('\n');
  let best: TaskKind | undefined;
  let bestScore = 0;
  for (const [task, pattern, weight] of SIGNALS) {
    const matches = Math.min(text.match(pattern)?.length ?? 0, 5);
    const score = matches * weight;
    if (score > bestScore) {
      best = task;
      bestScore = score;
    }
  }
  return { task: best ?? 'chat', source: 'detected' };
}

/** How much of each message's own text is read for task keywords. */
const TASK_TEXT_CHARACTERS = 20_000;

/** The message's text without its inserted values, up to `limit` characters (built no further: prompts can be long). */
function templateText(content: string, insertions: PromptMessage['insertions'], limit: number): string {
  let text = '';
  let position = 0;
  for (const insertion of insertions) {
    if (text.length >= limit) return text.slice(0, limit);
    text += content.slice(position, insertion.offset);
    position = insertion.offset + insertion.length;
  }
  return (text + content.slice(position, position + limit)).slice(0, limit);
}
