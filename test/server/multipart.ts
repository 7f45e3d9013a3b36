/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  readonly name: string;
  /** Set for file fields. */
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Parses a `multipart/form-data` body (RFC 7578) into its parts; undefined when the content type has no boundary
 * or the body does not follow it.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] | undefined {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) return undefined;
  while (position >= 0) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) return undefined;
    // Each part sits between "--boundary\r\n" and "\r\n--boundary".
    const part = parsePart(body.subarray(afterDelimiter + 2, next - 2));
    if (!part) return undefined;
    parts.push(part);
    position = next;
  }
  return parts;
}

function parsePart(raw: Buffer): MultipartPart | undefined {
  const headerEnd = raw.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const headers = new Map<string, string>();
  for (const line of raw.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) return undefined;
  return {
    name,
    filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
    contentType: headers.get('content-type'),
    data: raw.subarray(headerEnd + HEADER_END.length),
  };
}
