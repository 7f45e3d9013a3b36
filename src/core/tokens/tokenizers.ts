import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { init, Tiktoken } from 'tiktoken/lite/init';
import type { EncodingName } from './encodingForModel';
import { ChunkedTokenCounter, type TokenCounter } from './tokenCounter';

/** Reads an asset as bytes; injected so tests and the VS Code host can supply their own. */
export type AssetReader = (file: string) => Promise<Uint8Array>;

interface RankFile {
  bpe_ranks: string;
  special_tokens: Record<string, number>;
  pat_str: string;
}

/**
 * Loads tiktoken's WASM and the rank files lazily from `assetDirectory` (the extension's `dist/assets/tiktoken`),
 * so activation never waits for the ~250 ms initialisation. One instance per host; call `dispose()` to free WASM memory.
 */
export class Tokenizers {
  private wasmReady: Promise<void> | undefined;
  private readonly loading = new Map<EncodingName, Promise<TokenCounter>>();
  private readonly ready = new Map<EncodingName, TokenCounter>();
  private readonly encoders: Tiktoken[] = [];

  constructor(
    private readonly assetDirectory: string,
    private readonly readAsset: AssetReader = (file) => readFile(file),
  ) {}

  /** The counter if it has finished loading, else undefined (callers show "counting…" and ask `load`). */
  peek(encoding: EncodingName): TokenCounter | undefined {
    return this.ready.get(encoding);
  }

  load(encoding: EncodingName): Promise<TokenCounter> {
    let pending = this.loading.get(encoding);
    if (!pending) {
      pending = this.create(encoding);
      this.loading.set(encoding, pending);
      pending.catch(() => this.loading.delete(encoding));
    }
    return pending;
  }

  dispose(): void {
    for (const encoder of this.encoders) encoder.free();
    this.encoders.length = 0;
    this.ready.clear();
    this.loading.clear();
  }

  private async create(encoding: EncodingName): Promise<TokenCounter> {
    await this.initialiseWasm();
    const ranksText = Buffer.from(await this.readAsset(path.join(this.assetDirectory, `${encoding}.json`))).toString(
      'utf8',
    );
    const ranks = JSON.parse(ranksText) as RankFile;
    const encoder = new Tiktoken(ranks.bpe_ranks, ranks.special_tokens, ranks.pat_str);
    this.encoders.push(encoder);
    const counter = new ChunkedTokenCounter(encoding, (text) => encoder.encode(text, [], []).length);
    this.ready.set(encoding, counter);
    return counter;
  }

  private initialiseWasm(): Promise<void> {
    this.wasmReady ??= (async () => {
      const bytes = await this.readAsset(path.join(this.assetDirectory, 'tiktoken_bg.wasm'));
      await init((imports) => WebAssembly.instantiate(bytes, imports));
    })();
    return this.wasmReady;
  }
}
