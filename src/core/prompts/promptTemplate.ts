import { promptImage, type PromptImage } from '../tokens/imageTokens';
import type { MessageRole, VariableInsertion } from './promptTypes';
import { PROMPTY_ROLE_LINE, roleLineFinder } from './roleSections';
import {
  compileTemplateParts,
  expandStatics,
  holdsPlaceholder,
  remember,
  type TemplateCache,
  type TemplateEngine,
  type TemplateRenderer,
} from './templateEngines';

/** How a rendered body is split into messages, as the format's runtime does after rendering. */
export type RoleMarkers = 'prompty' | 'dotprompt';

/**
 * A prompt body rendered by its format's engine: kept on the parsed prompt so a run renders dataset rows exactly as
 * the estimate did (same engine, same partials, same role split).
 */
export interface PromptTemplate {
  readonly engine: TemplateEngine;
  /** The body as written (after the front matter). */
  readonly source: string;
  /** File offset where `source` starts. */
  readonly sourceStart: number;
  readonly roles: RoleMarkers;
  /** Handlebars partials by name (Dotprompt `{{> name}}` from `_name.prompt` beside the prompt). */
  readonly partials: Readonly<Record<string, string>>;
  /** Handlebars `@metadata` (Dotprompt: the front matter as `prompt`). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The sample values as written (lists and objects kept, for loops), under which run values are merged. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

export interface RenderedMessage {
  readonly role: MessageRole;
  readonly name?: string;
  /** Sent trimmed, as Prompty's parser and Prompt Meter's other formats do. */
  readonly content: string;
  readonly insertions: readonly VariableInsertion[];
  /** Image inputs the message sends (not text: counted by the image rules of the model). */
  readonly images?: readonly PromptImage[];
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const NAME_BASE = 0xe100;
const MARKERS = /[\uE000\uE001]|(?<=\uE000)[\uE100-\uF8FF]/g;

/**
 * Renders a template into messages. Where each value landed is found by rendering a second time with every string
 * in the values wrapped in private-use marker characters and mapping the markers back; when that render differs
 * from the plain one once the markers are removed (the template compares, slices or measures a value), each value
 * is marked on its own and only those that leave the render unchanged get insertions, never wrong ones.
 * With a `cache` (the editor), both renders are of the template's skeleton (its long static runs as placeholders)
 * and kept by skeleton and values: typing inside static text renders nothing again, it only puts the new static
 * text in place. Throws TemplateError.
 */
export function renderPromptTemplate(
  template: PromptTemplate,
  values: Readonly<Record<string, unknown>>,
  cache?: TemplateCache,
): RenderedMessage[] {
  const compiled = compileTemplateParts(template.engine, template.source, template.partials, template.metadata, cache);
  const key = cache && compiled.renderSkeleton ? skeletonRenderKey(compiled.key, template, values) : undefined;
  if (!cache || !compiled.renderSkeleton || key === undefined) {
    const rendered = renderWithInsertions(compiled.render, values);
    return splitMessages(rendered.text, rendered.insertions, template.roles);
  }
  let skeleton = cache.get(key) as Rendered | undefined;
  if (!skeleton) {
    skeleton = renderWithInsertions(compiled.renderSkeleton, values);
    remember(cache, key, skeleton);
  }
  const ends = skeleton.insertions.flatMap((insertion) => [insertion.offset, insertion.offset + insertion.length]);
  const order = ends.map((_, index) => index).sort((left, right) => (ends[left] ?? 0) - (ends[right] ?? 0));
  const expanded = expandStatics(
    skeleton.text,
    compiled.statics,
    order.map((index) => ends[index] ?? 0),
  );
  const moved: number[] = [];
  order.forEach((index, position) => (moved[index] = expanded.offsets[position] ?? 0));
  const insertions = skeleton.insertions.map((insertion, index) => {
    const start = moved[2 * index] ?? 0;
    return { name: insertion.name, offset: start, length: (moved[2 * index + 1] ?? start) - start };
  });
  return splitMessages(expanded.text, insertions, template.roles);
}

interface Rendered {
  readonly text: string;
  readonly insertions: readonly VariableInsertion[];
}

/** What a skeleton render depends on besides the skeleton: values, partials and metadata (undefined: not keyable). */
function skeletonRenderKey(
  skeletonKey: string,
  template: PromptTemplate,
  values: Readonly<Record<string, unknown>>,
): string | undefined {
  let inputs: string;
  try {
    inputs = JSON.stringify([values, template.partials, template.metadata]);
  } catch {
    return undefined;
  }
  return holdsPlaceholder(inputs) ? undefined : `skeleton-render\u0000${skeletonKey}\u0000${inputs}`;
}

function renderWithInsertions(render: TemplateRenderer, values: Readonly<Record<string, unknown>>): Rendered {
  const plain = render(values);
  const names = Object.keys(values).slice(0, 0x1800);
  let insertions: VariableInsertion[] = [];
  if (names.length > 0) {
    const marked = unmark(
      render(Object.fromEntries(names.map((name, index) => [name, wrap(values[name], index)]))),
      names,
    );
    if (marked.text === plain) insertions = marked.insertions;
    else if (names.length <= SEPARATE_TRIALS) {
      // Some value is compared or measured: mark one value at a time and keep those whose render is unchanged.
      for (const [index, name] of names.entries()) {
        const single = unmark(render({ ...values, [name]: wrap(values[name], index) }), names);
        if (single.text === plain) insertions.push(...single.insertions);
      }
      insertions.sort((left, right) => left.offset - right.offset);
    }
  }
  return { text: plain, insertions };
}

/** Above this many values, a template that compares one gets no insertions rather than one render per value. */
const SEPARATE_TRIALS = 12;

function wrap(value: unknown, index: number): unknown {
  if (typeof value === 'string') return `${OPEN}${String.fromCharCode(NAME_BASE + index)}${value}${CLOSE}`;
  if (Array.isArray(value)) return value.map((item) => wrap(item, index));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, wrap(item, index)]),
    );
  }
  return value;
}

function unmark(marked: string, names: readonly string[]): { text: string; insertions: VariableInsertion[] } {
  const insertions: VariableInsertion[] = [];
  const open: Array<{ name: string; offset: number }> = [];
  let text = '';
  let last = 0;
  for (const match of marked.matchAll(MARKERS)) {
    const index = match.index ?? 0;
    text += marked.slice(last, index);
    last = index + 1;
    if (match[0] === CLOSE) {
      const start = open.pop();
      if (start) insertions.push({ name: start.name, offset: start.offset, length: text.length - start.offset });
    } else if (match[0] !== OPEN)
      open.push({ name: names[match[0].charCodeAt(0) - NAME_BASE] ?? '', offset: text.length });
  }
  text += marked.slice(last);
  return { text, insertions: insertions.sort((left, right) => left.offset - right.offset) };
}

/** Dotprompt's `toMessages`: `<<<dotprompt:role:x>>>` and `<<<dotprompt:history>>>` split; text before is user. */
const DOTPROMPT_ROLE = /<<<dotprompt:(?:role:([a-z]+)|history)>>>/g;
/** Media and section markers are parts the text does not contain (an image is not text tokens). */
const DOTPROMPT_PART = /<<<dotprompt:(?:media:url|section)[^>]*>>>/g;
/** Dotprompt's `{{media url=… contentType=…}}` marker (dotprompt js/src/helpers.ts `media`). */
const DOTPROMPT_MEDIA = /<<<dotprompt:media:url (\S+)(?: (\S+))?>>>/g;
/**
 * Prompty's inline images: `![alt](path or URL)` in a message becomes an image part (Prompty's chat parser; a
 * local path is sent as a base64 data URL).
 */
const PROMPTY_IMAGE = /!\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

interface Section {
  role: MessageRole;
  name?: string;
  start: number;
  end: number;
}

function splitMessages(text: string, insertions: readonly VariableInsertion[], roles: RoleMarkers): RenderedMessage[] {
  const sections: Section[] = [];
  const pattern = new RegExp(roles === 'prompty' ? PROMPTY_ROLE_LINE : DOTPROMPT_ROLE);
  let current: Section = { role: roles === 'prompty' ? 'system' : 'user', start: 0, end: text.length };
  const lineFinder = roles === 'prompty' ? roleLineFinder(text, pattern) : undefined;
  const next = (from: number) => (lineFinder ? lineFinder(from) : ((pattern.lastIndex = from), pattern.exec(text)));
  for (let match = next(0); match; match = next(match.index + match[0].length)) {
    current.end = match.index;
    const next: Section = {
      role: toRole(roles === 'dotprompt' && match[1] === undefined ? 'model' : (match[1] ?? 'user')),
      start: match.index + match[0].length,
      end: text.length,
    };
    const name = roles === 'prompty' ? attributeName(match[2]) : undefined;
    if (name !== undefined) next.name = name;
    // Dotprompt: a role marker right after another (nothing but white space between) changes the role only.
    if (roles !== 'dotprompt' || text.slice(current.start, current.end).trim() !== '') sections.push(current);
    current = next;
  }
  sections.push(current);
  return sections
    .map((section) => toMessage(text, insertions, section, roles))
    .filter((message, index) => message.content !== '' || (roles === 'prompty' && index > 0));
}

function toMessage(
  text: string,
  insertions: readonly VariableInsertion[],
  section: Section,
  roles: RoleMarkers,
): RenderedMessage {
  let start = section.start;
  let end = section.end;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  let content = text.slice(start, end);
  let inside = insertions
    .filter((insertion) => insertion.offset + insertion.length > start && insertion.offset < end)
    .map((insertion) => {
      const from = Math.max(insertion.offset, start);
      return {
        name: insertion.name,
        offset: from - start,
        length: Math.min(insertion.offset + insertion.length, end) - from,
      };
    });
  const images: PromptImage[] = [];
  if (roles === 'dotprompt' && DOTPROMPT_PART.test(content)) {
    for (const match of content.matchAll(DOTPROMPT_MEDIA))
      if (!(match[2] ?? 'image/').startsWith('text/')) images.push(promptImage(match[1] ?? ''));
    content = content.replace(DOTPROMPT_PART, '').trim();
    inside = [];
  }
  DOTPROMPT_PART.lastIndex = 0;
  if (roles === 'prompty' && content.includes('!['))
    for (const match of content.matchAll(PROMPTY_IMAGE)) images.push(promptImage(match[1] ?? ''));
  return {
    role: section.role,
    ...(section.name === undefined ? {} : { name: section.name }),
    content,
    insertions: inside,
    ...(images.length > 0 ? { images } : {}),
  };
}

function attributeName(attributes: string | undefined): string | undefined {
  if (!attributes) return undefined;
  const match = /\bname\s*=\s*"?([^",\]]*)"?/.exec(attributes);
  return match?.[1]?.trim() || undefined;
}

function toRole(name: string): MessageRole {
  const lower = name.toLowerCase();
  if (lower === 'model') return 'assistant';
  if (lower === 'function') return 'tool';
  return (['system', 'developer', 'user', 'assistant', 'tool'].includes(lower) ? lower : 'user') as MessageRole;
}
