import type { LineIndex } from './lineIndex';
import type { PromptContext } from './promptContext';
import { assemblePrompt, buildChatPrompt, type PromptSettings } from './promptBuilder';
import { renderPromptTemplate, type PromptTemplate, type RenderedMessage } from './promptTemplate';
import type { PromptDefinition, PromptDiagnostic, PromptFormat, PromptMessage, PromptVariable } from './promptTypes';
import { splitRoleSections } from './roleSections';
import { renderTemplate, stringify } from './template';
import { TemplateError, type TemplateCache } from './templateEngines';
import { templateReferences } from './templateVariables';
import { IMAGE_HEAD_BYTES, withFileImageSize } from '../tokens/imageTokens';

/**
 * Builds a prompt whose body its format's engine renders (Prompty, Dotprompt): the whole body is rendered with the
 * sample values first and then split into messages, as those runtimes do, so loops, conditions and partials count
 * as they will be sent. A template error is an error diagnostic at its line; the estimate then falls back to the
 * text with its tags removed, so it still shows a number.
 */
export function buildTemplatePrompt(
  file: string,
  format: PromptFormat,
  text: string,
  template: PromptTemplate,
  settings: PromptSettings,
  lines: LineIndex,
  diagnostics: PromptDiagnostic[],
  cache?: TemplateCache,
  /** Reads an image file's first bytes relative to the prompt, so its size is known rather than assumed. */
  readHead?: (relativePath: string) => Uint8Array | undefined,
): PromptDefinition {
  const markers = template.roles === 'prompty' ? 'prompty' : 'handlebars';
  const leadingRole = template.roles === 'prompty' ? 'system' : 'user';
  const sourceSections = splitRoleSections(text, template.sourceStart, markers, leadingRole);
  let rendered: RenderedMessage[];
  try {
    rendered = renderPromptTemplate(template, settings.samples, cache);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const line = lines.position(template.sourceStart).line + (error.line ?? 0);
    diagnostics.push({
      span: lines.lineSpan(Math.min(line, lines.position(text.length).line)),
      severity: 'error',
      code: 'template-error',
      message: `${engineName(template)} template error: ${error.message}. The estimate counts the text with its template tags removed until this is fixed.`,
    });
    return buildChatPrompt(file, format, text, sourceSections, settings, lines, []);
  }
  const bodySpan = lines.span(template.sourceStart, text.length);
  const messages: PromptMessage[] = rendered.map((message, index) => ({
    ...message,
    ...(message.images ? { images: message.images.map((image) => withFileImageSize(image, readHead)) } : {}),
    span:
      sourceSections.length === rendered.length && sourceSections[index]
        ? lines.span(sourceSections[index].start, sourceSections[index].end)
        : bodySpan,
  }));
  const occurrences = new Map<string, number>();
  for (const message of messages)
    for (const insertion of message.insertions)
      occurrences.set(insertion.name, (occurrences.get(insertion.name) ?? 0) + 1);
  // Partials read the same values: what they use counts, but their missing names have no line in this file.
  for (const partial of Object.values(template.partials)) {
    for (const reference of templateReferences(template.engine, partial)) {
      if (settings.samples[reference.name] !== undefined && !occurrences.has(reference.name))
        occurrences.set(reference.name, 1);
    }
  }
  for (const reference of templateReferences(template.engine, template.source)) {
    if (settings.samples[reference.name] !== undefined) {
      if (!occurrences.has(reference.name)) occurrences.set(reference.name, 1);
      continue;
    }
    occurrences.set(reference.name, occurrences.get(reference.name) ?? 0);
    const start = template.sourceStart + reference.offset;
    diagnostics.push({
      span: lines.span(start, start + reference.name.length),
      severity: 'warning',
      code: 'variable-without-sample',
      message: `{{${reference.name}}} has no sample value, so the estimate counts it as empty. Add a sample value for "${reference.name}" in the front matter.`,
    });
  }
  const variables: PromptVariable[] = [...occurrences].map(([name, count]) => {
    const value = settings.samples[name];
    const variable = { name, value: value === undefined ? undefined : stringify(value), occurrences: count };
    return settings.defaultNames?.includes(name) ? { ...variable, hasDefault: true } : variable;
  });
  return assemblePrompt(file, format, text, messages, variables, settings, lines, template);
}

/**
 * The messages a prompt sends with `values` (a dataset row) over its sample values, rendered through the format's
 * own engine when it has one: what runs send, equal to what the estimate counted for the same values.
 */
export function renderPromptMessages(
  prompt: PromptDefinition,
  values?: Readonly<Record<string, unknown>>,
): Array<{ role: PromptMessage['role']; content: string; name?: string }> {
  if (!values)
    return prompt.messages.map(({ role, content, name }) =>
      name === undefined ? { role, content } : { role, content, name },
    );
  const samples: Record<string, unknown> = { ...(prompt.template?.defaults ?? {}) };
  for (const variable of prompt.variables)
    if (variable.value !== undefined && !(variable.name in samples)) samples[variable.name] = variable.value;
  const merged = { ...samples, ...values };
  if (prompt.template) {
    try {
      return renderPromptTemplate(prompt.template, merged).map(({ role, content, name }) =>
        name === undefined ? { role, content } : { role, content, name },
      );
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
    }
  }
  return prompt.messages.map((message) => {
    const content = message.template !== undefined ? renderTemplate(message.template, merged).content : message.content;
    return message.name === undefined
      ? { role: message.role, content }
      : { role: message.role, content, name: message.name };
  });
}

/** The image-head reader of a prompt's context, relative to `file` (none without a file reader). */
export function imageHeadReader(
  context: PromptContext,
  file: string,
): ((relativePath: string) => Uint8Array | undefined) | undefined {
  const { readHead } = context;
  return readHead ? (relativePath) => readHead(file, relativePath, IMAGE_HEAD_BYTES) : undefined;
}

function engineName(template: PromptTemplate): string {
  return template.engine === 'jinja2' ? 'Jinja2' : template.engine === 'mustache' ? 'Mustache' : 'Handlebars';
}
