import { randomBytes } from 'node:crypto';

/** A fresh OpenAI-looking id such as `chatcmpl-…`, `file-…`, `batch_…`. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Seconds since the epoch, as OpenAI's `created` fields. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
