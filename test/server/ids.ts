import { randomUUID } from 'node:crypto';

/** A fresh OpenAI-looking id such as `chatcmpl-…`, `file-…`, `batch_…`. */
export function newId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/** Seconds since the epoch, as OpenAI's `created` fields. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
