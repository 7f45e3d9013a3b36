/** `detail` of an image input; `auto` lets the model choose (billed here as `high`, the larger, and labelled so). */
export type ImageDetail = 'low' | 'high' | 'auto';

/** An image a prompt sends (Prompty `![alt](path)`, Dotprompt `{{media url=…}}`). */
export interface PromptImage {
  /** The path or URL as written (a `data:` URL shortened). */
  readonly source: string;
  readonly detail: ImageDetail;
  /** Pixel size when it could be read (a `data:` URL's header); otherwise the size is assumed. */
  readonly width?: number;
  readonly height?: number;
}

/** Input tokens of one image on one model, and what had to be assumed to get them. */
export interface ImageTokenEstimate {
  readonly tokens: number;
  /** What was assumed (size, detail, the model's rule), one phrase each; empty when nothing was. */
  readonly assumptions: readonly string[];
}

/**
 * How OpenAI bills image inputs, by model family (the "Calculating costs" section of OpenAI's images and vision guide,
 * platform.openai.com/docs/guides/images-vision, as read 2026-12; community threads on openai.com confirm the
 * 4o tile numbers and the 4.1-mini multiplier against billed usage):
 * - tiles: fit in 2048×2048, scale the short side down to 768, count 512 px tiles; `base + tile × tiles` (high),
 *   `base` (low).
 * - patches: 32 px patches, at most 1,536 (larger images are scaled down to fit); patches × multiplier, whatever
 *   the detail.
 * Families the guide does not list (later gpt-5.x, gpt-6, unknown models) use the gpt-5 rule, labelled assumed.
 */
const IMAGE_RULES: ReadonlyArray<{ readonly family: RegExp; readonly rule: ImageRule }> = [
  { family: /^gpt-5-mini\b/, rule: { kind: 'patches', multiplier: 1.62 } },
  { family: /^gpt-5-nano\b/, rule: { kind: 'patches', multiplier: 2.46 } },
  { family: /^gpt-4\.1-mini\b/, rule: { kind: 'patches', multiplier: 1.62 } },
  { family: /^gpt-4\.1-nano\b/, rule: { kind: 'patches', multiplier: 2.46 } },
  { family: /^o4-mini\b/, rule: { kind: 'patches', multiplier: 1.72 } },
  { family: /^gpt-5(?:-chat|-\d{4}|$)/, rule: { kind: 'tiles', base: 70, tile: 140 } },
  { family: /^gpt-4o-mini\b/, rule: { kind: 'tiles', base: 2833, tile: 5667 } },
  { family: /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|chatgpt-4o)\b/, rule: { kind: 'tiles', base: 85, tile: 170 } },
  { family: /^(?:o1|o1-pro|o3)(?:-\d{4}|$|-pro\b)/, rule: { kind: 'tiles', base: 75, tile: 150 } },
  { family: /^computer-use-preview\b/, rule: { kind: 'tiles', base: 65, tile: 129 } },
];
const ASSUMED_RULE: ImageRule = { kind: 'tiles', base: 70, tile: 140 };

type ImageRule =
  | { readonly kind: 'tiles'; readonly base: number; readonly tile: number }
  | { readonly kind: 'patches'; readonly multiplier: number };

/** An image whose size is not known is counted as this size (a common screenshot/photo size), labelled assumed. */
export const ASSUMED_IMAGE_SIZE = { width: 1024, height: 1024 } as const;

/** Input tokens of `image` on `model` (a catalog id; an `openai/` prefix is ignored). */
export function imageTokens(model: string, image: PromptImage): ImageTokenEstimate {
  const assumptions: string[] = [];
  const id = model.replace(/^openai\//, '').toLowerCase();
  const known = IMAGE_RULES.find((entry) => entry.family.test(id));
  if (!known) assumptions.push(`${model} is not in OpenAI's image table: counted with gpt-5's rule`);
  const rule = known?.rule ?? ASSUMED_RULE;
  const sized = image.width !== undefined && image.height !== undefined && image.width > 0 && image.height > 0;
  const width = sized ? (image.width ?? 0) : ASSUMED_IMAGE_SIZE.width;
  const height = sized ? (image.height ?? 0) : ASSUMED_IMAGE_SIZE.height;
  if (rule.kind === 'patches') {
    if (!sized) assumptions.push(`size unknown: assumed ${width}×${height}`);
    return { tokens: Math.ceil(patchCount(width, height) * rule.multiplier), assumptions };
  }
  if (image.detail === 'low') return { tokens: rule.base, assumptions };
  if (image.detail === 'auto') assumptions.push('detail auto: counted as high');
  if (!sized) assumptions.push(`size unknown: assumed ${width}×${height}`);
  return { tokens: rule.base + rule.tile * tileCount(width, height), assumptions };
}

/** 512 px tiles after fitting in 2048×2048 and scaling the short side down to 768. */
function tileCount(width: number, height: number): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shorter = Math.min(1, 768 / Math.min(w, h));
  w *= shorter;
  h *= shorter;
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** 32 px patches, at most 1,536: a larger image is scaled down (aspect kept) until whole patches fit the budget. */
function patchCount(width: number, height: number): number {
  const size = 32;
  const budget = 1536;
  const raw = Math.ceil(width / size) * Math.ceil(height / size);
  if (raw <= budget) return raw;
  let shrink = Math.sqrt((budget * size * size) / (width * height));
  const columns = (width * shrink) / size;
  const rows = (height * shrink) / size;
  shrink *= Math.min(Math.floor(columns) / columns, Math.floor(rows) / rows);
  // The image is resized to whole pixels, then covered by patches.
  return Math.min(budget, Math.ceil(Math.floor(width * shrink) / size) * Math.ceil(Math.floor(height * shrink) / size));
}

/** Width and height from the header of a PNG, GIF, JPEG or WebP file; undefined for anything else. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const at = (index: number) => bytes[index] ?? 0;
  const big16 = (index: number) => (at(index) << 8) | at(index + 1);
  const little16 = (index: number) => at(index) | (at(index + 1) << 8);
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47 && bytes.length >= 24) {
    return { width: (big16(16) << 16) | big16(18), height: (big16(20) << 16) | big16(22) };
  }
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && bytes.length >= 10)
    return { width: little16(6), height: little16(8) };
  if (at(0) === 0xff && at(1) === 0xd8) {
    let index = 2;
    while (index + 9 < bytes.length) {
      if (at(index) !== 0xff) return undefined;
      const marker = at(index + 1);
      // Start-of-frame markers (baseline, progressive, …) hold the size; DHT/JPG/DAC (C4, C8, CC) do not.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: big16(index + 7), height: big16(index + 5) };
      }
      index += 2 + big16(index + 2);
    }
    return undefined;
  }
  if (
    at(0) === 0x52 &&
    at(1) === 0x49 &&
    at(2) === 0x46 &&
    at(3) === 0x46 &&
    at(8) === 0x57 &&
    at(9) === 0x45 &&
    bytes.length >= 30
  ) {
    const chunk = String.fromCharCode(at(12), at(13), at(14), at(15));
    if (chunk === 'VP8X')
      return {
        width: 1 + (at(24) | (at(25) << 8) | (at(26) << 16)),
        height: 1 + (at(27) | (at(28) << 8) | (at(29) << 16)),
      };
    if (chunk === 'VP8L') {
      const bits = at(21) | (at(22) << 8) | (at(23) << 16) | (at(24) << 24);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ') return { width: little16(26) & 0x3fff, height: little16(28) & 0x3fff };
  }
  return undefined;
}

/** An image input from a path or URL as written: a base64 `data:` URL's size is read from its header. */
export function promptImage(source: string, detail: ImageDetail = 'auto'): PromptImage {
  const data = /^data:image\/[\w.+-]+;base64,([A-Za-z0-9+/=\s]+)$/.exec(source.trim());
  const shown = data ? `${source.slice(0, source.indexOf(',') + 1)}…` : source;
  if (!data) return { source: shown, detail };
  const size = imageSize(Buffer.from((data[1] ?? '').slice(0, 64 * 1024), 'base64'));
  return size ? { source: shown, detail, width: size.width, height: size.height } : { source: shown, detail };
}

/** Bytes read from the start of an image file to find its size (headers, and JPEG frames after EXIF data). */
export const IMAGE_HEAD_BYTES = 64 * 1024;

/**
 * `image` with the size read from a local file's first bytes (`readHead` reads relative to the prompt); URLs and
 * images already sized are returned as they are.
 */
export function withFileImageSize(
  image: PromptImage,
  readHead: ((relativePath: string) => Uint8Array | undefined) | undefined,
): PromptImage {
  if (!readHead || image.width !== undefined || /^(?:[a-z][a-z0-9+.-]*:)/i.test(image.source)) return image;
  let relativePath = image.source;
  try {
    relativePath = decodeURI(image.source);
  } catch {
    // A path with a stray % is read as written.
  }
  const head = readHead(relativePath);
  const size = head && imageSize(head);
  return size ? { ...image, width: size.width, height: size.height } : image;
}
