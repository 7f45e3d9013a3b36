import { DEFAULT_OPTIONS, type TestServerOptions } from './options';

/** Options whose default is undefined, with the type their flag takes. */
const OPTIONAL_TYPES: Readonly<Record<string, 'number' | 'string'>> = {
  apiKey: 'string',
  basicAuth: 'string',
  rpm: 'number',
  tpm: 'number',
  quotaAfterRequests: 'number',
  batchExpireAfterLines: 'number',
};

/**
 * Parses `--kebab-case value` flags into options: `--rpm 600 --latency-ms 20 --faults '{"error500":0.1}'`.
 * Numbers and booleans are read by the option's default type, objects and arrays as JSON; `--config '<json>'`
 * merges a whole partial object. Throws on unknown flags or bad values.
 */
export function parseCommandLine(argv: readonly string[]): Partial<TestServerOptions> {
  const defaults: Readonly<Record<string, unknown>> = { ...DEFAULT_OPTIONS };
  let parsed: Record<string, unknown> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] ?? '';
    if (!flag.startsWith('--')) throw new Error(`Unexpected argument '${flag}'.`);
    const name = flag.slice(2).replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    const next = argv[index + 1];
    const hasValue = next !== undefined && !next.startsWith('--');
    const value = hasValue ? next : 'true';
    if (hasValue) index += 1;
    if (name === 'config') {
      parsed = { ...parsed, ...(JSON.parse(value) as Record<string, unknown>) };
      continue;
    }
    if (!(name in defaults)) throw new Error(`Unknown option '${flag}'.`);
    parsed[name] = convert(flag, value, OPTIONAL_TYPES[name] ?? typeof defaults[name]);
  }
  return parsed as Partial<TestServerOptions>;
}

function convert(flag: string, value: string, type: string): unknown {
  if (type === 'string') return value;
  if (type === 'number') {
    const number = Number(value);
    if (!Number.isFinite(number)) throw new Error(`${flag} expects a number, got '${value}'.`);
    return number;
  }
  if (type === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new Error(`${flag} expects true or false, got '${value}'.`);
    return value === 'true';
  }
  return JSON.parse(value) as unknown;
}
