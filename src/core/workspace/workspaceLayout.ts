import path from 'node:path';

/** The folder Prompt Meter keeps inside a workspace folder (beside the user's files; usually git-ignored). */
export const PROMPT_METER_FOLDER = '.promptmeter';

/**
 * The one owner of every path under `<workspace>/.promptmeter/`: runs, the ledger folder, the response cache,
 * saved comparisons and the model-change record. Front ends build one per workspace root (the root of the file
 * or folder being run, so a multi-root workspace keeps each folder's runs in that folder) and ask it; nothing
 * else joins `.promptmeter` by hand.
 */
export class WorkspaceLayout {
  /** `root`: the workspace folder (absolute). */
  constructor(readonly root: string) {}

  /** `<root>/.promptmeter`. */
  get folder(): string {
    return path.join(this.root, PROMPT_METER_FOLDER);
  }

  /** `runs/`: one folder per run (run.json, jobs.jsonl, results.jsonl, summary.md). */
  get runs(): string {
    return path.join(this.folder, 'runs');
  }

  /** One run's folder. */
  run(id: string): string {
    return path.join(this.runs, id);
  }

  /** `ledger/`: the cost ledger folder shared by the extension and the CLI (month segments). */
  get ledger(): string {
    return path.join(this.folder, 'ledger');
  }

  /** `cache/`: the CLI's disk tier of the response cache. */
  get cache(): string {
    return path.join(this.folder, 'cache');
  }

  /** `comparisons/`: saved Compare Models results. */
  get comparisons(): string {
    return path.join(this.folder, 'comparisons');
  }

  /** `model-changes.json`: prompt file → its latest model change made through Prompt Meter. */
  get modelChanges(): string {
    return path.join(this.folder, 'model-changes.json');
  }

  /** True when `absolutePath` lies inside `.promptmeter` (its files are never prompts to run). */
  contains(absolutePath: string): boolean {
    const relative = path.relative(this.folder, absolutePath);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  }
}
