import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PromptDefinition } from '../prompts/promptTypes';
/** One dataset row: column name → cell text. */
export type DatasetRow = Readonly<Record<string, string>>;

export interface Dataset {
  readonly rows: readonly DatasetRow[];
  readonly columns: readonly string[];
  /** Problems with a 1-based line each ("line 7: 3 cells, the header has 4"). Rows with problems are skipped. */
  readonly problems: readonly string[];
}

/** What the CodeLens, the CLI and a run's problems call a prompt's inline rows (GitHub Models `testData`). */
export const INLINE_DATASET_LABEL = 'testData';

/** True when a prompt has rows to run over: a `data:` file or rows written in the file (`testData`). */
export function hasDataset(prompt: PromptDefinition): boolean {
  return prompt.dataFile !== undefined || (prompt.dataRows?.length ?? 0) > 0;
}

/** The name a prompt's dataset is shown under: its `data:` path as written, or `testData`. */
export function datasetLabel(prompt: PromptDefinition): string {
  return prompt.dataFile ?? INLINE_DATASET_LABEL;
}

/**
 * A prompt's dataset, the one owner of where rows come from: its `data:` file (resolved against the prompt file's
 * absolute path), else its inline `testData` rows (non-string cells as JSON, as JSONL rows are). Undefined when
 * there is none or the file cannot be read.
 */
export function promptDataset(prompt: PromptDefinition, promptAbsolutePath: string | undefined): Dataset | undefined {
  if (prompt.dataFile !== undefined) {
    return promptAbsolutePath === undefined ? undefined : readDatasetFile(path.resolve(path.dirname(promptAbsolutePath), prompt.dataFile));
  }
  if (!prompt.dataRows || prompt.dataRows.length === 0) return undefined;
  const columns = new Set<string>();
  const rows = prompt.dataRows.map((written) => {
    const row: Record<string, string> = {};
    for (const [key, cell] of Object.entries(written)) {
      row[key] = typeof cell === 'string' ? cell : JSON.stringify(cell);
      columns.add(key);
    }
    return row;
  });
  return { rows, columns: [...columns], problems: [] };
}

/** Reads and parses a CSV or JSONL dataset file; undefined when it cannot be read. */
export function readDatasetFile(file: string): Dataset | undefined {
  try {
    return parseDataset(file, readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function parseDataset(fileName: string, text: string): Dataset {
  return fileName.toLowerCase().endsWith('.jsonl') ? parseJsonLines(text) : parseCsv(text);
}

function parseJsonLines(text: string): Dataset {
  const rows: DatasetRow[] = [];
  const problems: string[] = [];
  const columns = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      const row: Record<string, string> = {};
      for (const [key, cell] of Object.entries(value)) {
        row[key] = typeof cell === 'string' ? cell : JSON.stringify(cell);
        columns.add(key);
      }
      rows.push(row);
    } catch (error) {
      problems.push(`line ${index + 1}: ${(error as Error).message}; each line must be one JSON object.`);
    }
  });
  return { rows, columns: [...columns], problems };
}

function parseCsv(text: string): Dataset {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) return { rows: [], columns: [], problems: ['the dataset is empty: it needs a header line with column names.'] };
  const columns = header.cells.map((cell) => cell.trim());
  const rows: DatasetRow[] = [];
  const problems: string[] = [];
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0] === '') continue;
    if (record.cells.length !== columns.length) {
      problems.push(`line ${record.line}: ${record.cells.length} cells, the header has ${columns.length}; row skipped.`);
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((column, index) => (row[column] = record.cells[index] ?? ''));
    rows.push(row);
  }
  if (records.unterminated) problems.push(`line ${records.unterminated}: a quoted cell is never closed.`);
  return { rows, columns, problems };
}

interface CsvRecord {
  cells: string[];
  line: number;
}

function csvRecords(text: string): CsvRecord[] & { unterminated?: number } {
  const records: CsvRecord[] & { unterminated?: number } = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (character === '"') quoted = false;
      else {
        if (character === '\n') line++;
        cell += character;
      }
    } else if (character === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (character === ',') {
      cells.push(cell);
      cell = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      cells.push(cell);
      records.push({ cells, line: recordLine });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += character;
  }
  if (quoted) records.unterminated = quoteLine;
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ cells, line: recordLine });
  }
  return records;
}
