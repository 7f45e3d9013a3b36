import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsvText } from 'csv-parse/sync';
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
    return promptAbsolutePath === undefined
      ? undefined
      : readDatasetFile(path.resolve(path.dirname(promptAbsolutePath), prompt.dataFile));
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
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const dataset = parseDataset(file, text);
  const bad = text.indexOf('\uFFFD');
  if (bad < 0 || isValidUtf8(bytes)) return dataset;
  const line = text.slice(0, bad).split('\n').length;
  return {
    ...dataset,
    problems: [
      `line ${line}: the file is not valid UTF-8 (shown as \uFFFD), so cells there are not what was written; save it as UTF-8.`,
      ...dataset.problems,
    ],
  };
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
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
  const problems: string[] = [];
  const broken: string[] = [];
  const { records, error } = csvRecords(text);
  if (error) {
    // Records before the broken one are kept; it starts on the line after the last good record.
    const line = (records[records.length - 1]?.end ?? 0) + 1;
    broken.push(
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `line ${line}: a quoted cell is never closed.`
        : `line ${line}: ${error.message}; the rest of the file is skipped.`,
    );
  }
  const header = records.shift();
  if (!header)
    return { rows: [], columns: [], problems: ['the dataset is empty: it needs a header line with column names.'] };
  const columns = header.cells.map((cell) => cell.trim());
  const rows: DatasetRow[] = [];
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0] === '') continue;
    if (record.cells.length !== columns.length) {
      problems.push(
        `line ${record.line}: ${record.cells.length} cells, the header has ${columns.length}; row skipped.`,
      );
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((column, index) => (row[column] = record.cells[index] ?? ''));
    rows.push(row);
  }
  return { rows, columns, problems: [...problems, ...broken] };
}

interface CsvRecord {
  readonly cells: string[];
  /** 1-based lines where the record starts and ends. */
  readonly line: number;
  readonly end: number;
}

/**
 * RFC 4180 records by csv-parse (quoted cells, doubled quotes, newlines inside quotes, CRLF, BOM), replacing the
 * hand-written scanner: csv-parse is the maintained parser the Node ecosystem uses, and it reports each record's
 * line, which the problems name. Records are collected as they are read (`on_record`), so the rows before a broken
 * one survive csv-parse's error.
 */
function csvRecords(text: string): { records: CsvRecord[]; error?: { code?: string; message: string } } {
  const records: CsvRecord[] = [];
  try {
    parseCsvText(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (record: string[], context: { lines: number }) => {
        const newlines = record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
        records.push({ cells: record, line: context.lines - newlines, end: context.lines });
        return null;
      },
    });
    return { records };
  } catch (error) {
    return { records, error: { code: (error as { code?: string }).code, message: (error as Error).message } };
  }
}
