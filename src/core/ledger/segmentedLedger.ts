import path from 'node:path';
import { Ledger, type LedgerWriter } from './ledger';
import type { LedgerEntry } from './ledgerEntry';
import { LedgerFolder, migrateLegacyLedger } from './ledgerFolder';

/**
 * The workspace's cost ledger: a folder of month segments (see {@link LedgerFolder}). Each entry is appended, as
 * one complete line in one write, to the segment of its month, with the crash safety of {@link Ledger}. The
 * first append moves an old single-file ledger into the folder, once.
 */
export class SegmentedLedger implements LedgerWriter {
  private readonly segments = new Map<string, Ledger>();
  private migrated: Promise<unknown> | undefined;

  /** @param folder e.g. `.promptmeter/ledger`; created on first append */
  constructor(readonly folder: string) {}

  async append(entry: LedgerEntry): Promise<void> {
    this.migrated ??= migrateLegacyLedger(this.folder).catch(() => undefined);
    await this.migrated;
    const name = LedgerFolder.segmentNameOf(entry.time);
    let segment = this.segments.get(name);
    if (!segment) this.segments.set(name, (segment = new Ledger(path.join(this.folder, name))));
    await segment.append(entry);
  }
}
