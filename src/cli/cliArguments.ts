/** A mistake in how the CLI was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export type FlagKind = 'string' | 'number' | 'boolean';

export interface ParsedArguments {
  readonly positionals: string[];
  readonly flags: Record<string, string | number | boolean>;
}

/** Parses `--name value`, `--name=value` and boolean `--name` / `--no-name` flags against a declared set. */
export function parseArguments(argv: readonly string[], declared: Readonly<Record<string, FlagKind>>): ParsedArguments {
  const positionals: string[] = [];
  const flags: Record<string, string | number | boolean> = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!argument.startsWith('--')) {
      if (argument.startsWith('-') && argument.length > 1) throw new UsageError(`Unknown option ${argument}.`);
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    let name = argument.slice(2, equals < 0 ? undefined : equals);
    let kind = declared[name];
    if (!kind && name.startsWith('no-') && declared[name.slice(3)] === 'boolean') {
      name = name.slice(3);
      flags[name] = false;
      continue;
    }
    if (!kind) throw new UsageError(`Unknown option --${name}.`);
    if (kind === 'boolean') {
      if (equals >= 0) throw new UsageError(`--${name} does not take a value.`);
      flags[name] = true;
      continue;
    }
    const value = equals >= 0 ? argument.slice(equals + 1) : argv[++index];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value.`);
    if (kind === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number) || number <= 0)
        throw new UsageError(`--${name} needs a number above 0 (got "${value}").`);
      flags[name] = number;
    } else flags[name] = value;
    kind = undefined;
  }
  return { positionals, flags };
}

/**
 * The Redis URL a command uses: `--redis-url`, else `PROMPTMETER_REDIS_URL`, else the setting
 * (`promptmeter.cache.redisUrl`); empty for none.
 * @throws UsageError when the flag or variable is not a `redis://` or `rediss://` URL
 */
export function redisUrlFrom(flag: unknown, env: NodeJS.ProcessEnv, setting: string): string {
  const [source, value] =
    typeof flag === 'string'
      ? ['--redis-url', flag]
      : env.PROMPTMETER_REDIS_URL?.trim()
        ? ['PROMPTMETER_REDIS_URL', env.PROMPTMETER_REDIS_URL.trim()]
        : ['', setting];
  if (!source) return value;
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new UsageError(
      `${source} must be a redis:// or rediss:// URL like redis://localhost:6379 (got a value that is not).`,
    );
  }
  return value;
}
