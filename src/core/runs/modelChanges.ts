import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkspaceLayout } from '../workspace/workspaceLayout';

/** One prompt whose model was changed through Prompt Meter (Choose Model, Recommend Model, a quick fix). */
export interface ModelChange {
  readonly from: string;
  readonly to: string;
  /** ISO 8601. */
  readonly time: string;
  readonly via: 'recommendation' | 'choose-model';
}

/** `<workspace>/.promptmeter/model-changes.json`: prompt file (workspace-relative) → its latest model change. */
export function modelChangesPath(workspaceFolder: string): string {
  return new WorkspaceLayout(workspaceFolder).modelChanges;
}

export function readModelChanges(workspaceFolder: string): Record<string, ModelChange> {
  try {
    const value: unknown = JSON.parse(readFileSync(modelChangesPath(workspaceFolder), 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, ModelChange>) : {};
  } catch {
    return {};
  }
}

/**
 * Records that `file`'s model changed from `from` to `to` through Prompt Meter, so later calls of that prompt
 * carry `modelChangedFrom` in the ledger (evidence for the "cheaper model applied" saving). The original
 * model is kept across repeated changes: gpt-4o → gpt-4.1-mini → gpt-6-luna is a change from gpt-4o.
 */
export function recordModelChange(
  workspaceFolder: string,
  file: string,
  from: string,
  to: string,
  via: ModelChange['via'],
  now = new Date(),
): void {
  const changes = readModelChanges(workspaceFolder);
  const original = changes[file]?.to === from ? changes[file]!.from : from;
  if (original === to) delete changes[file];
  else changes[file] = { from: original, to, time: now.toISOString(), via };
  const target = modelChangesPath(workspaceFolder);
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(changes, null, 2)}\n`);
  renameSync(temporary, target);
}

/** The model a job's prompt had before Prompt Meter changed it, when the job still runs on the changed model. */
export function changedFrom(
  changes: Readonly<Record<string, ModelChange>>,
  file: string,
  model: string,
): string | undefined {
  const change = changes[file];
  return change && change.to === model ? change.from : undefined;
}
