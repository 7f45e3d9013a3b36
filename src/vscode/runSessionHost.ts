import * as vscode from 'vscode';
import type { BatchProgress } from '../core/batchApi/runBatchApi';
import { createFileDocumentReader } from '../core/chunking/fileDocumentReader';
import type { Estimator } from '../core/estimate/estimator';
import { formatMoney } from '../core/report/formatMoney';
import { changedFrom, readModelChanges } from '../core/runs/modelChanges';
import { createRunEngines } from '../core/runs/runEngines';
import type { RunProgress } from '../core/runs/executeRun';
import type { RunChoice, RunEngine, RunEngineKind, RunHost, RunOffer } from '../core/runs/runSession';
import type { PromptMeterSettings } from '../core/settings/settings';
import type { WorkspaceLayout } from '../core/workspace/workspaceLayout';
import type { ClientService, LeasedClient } from './clientService';

/** How a confirmed run is sent (kept for callers of the earlier name). */
export type RunMode = RunEngineKind;

/** A host for one run session, and the means to close its progress notification whatever happened. */
export interface VscodeRunHost {
  readonly host: RunHost;
  /** Closes the progress notification (call in `finally`). */
  dispose(): void;
}

/**
 * The VS Code side of a run's execution: the two engines over one settings snapshot, and a host whose
 * cancellable progress notification appears once the user has confirmed the plan and closes when the run ends.
 */
export class RunSessionHost {
  constructor(
    private readonly estimator: Estimator,
    private readonly clients: ClientService,
  ) {}

  /** The standard and Batch API engines for a run under `layout.root` on its leased client and ledger, from one settings snapshot. */
  engines(
    leased: LeasedClient,
    settings: PromptMeterSettings,
    layout: WorkspaceLayout,
  ): Record<RunEngineKind, RunEngine> {
    const changes = readModelChanges(layout.root);
    const pricing = this.estimator.currentPricing;
    return createRunEngines({
      client: leased.client,
      // The run's own workspace folder's ledger (multi-root): the client's when it is that folder's.
      ledger: this.clients.ledgerFor(leased, layout.root),
      modelChangedFrom: (job) => changedFrom(changes, job.file, job.model),
      mapReduce: async () => {
        await this.estimator.load(['o200k_base']);
        const readDocument = createFileDocumentReader(layout.root);
        return {
          counter: this.estimator.counter('o200k_base'),
          readDocument: (workspacePath) => readDocument('', workspacePath),
          pricing,
          overrides: settings.pricingOverrides,
        };
      },
      batchApi: async () => {
        const apiKey = await this.clients.apiKey();
        return apiKey
          ? { apiKey, baseUrl: settings.baseUrl, timeoutMs: settings.requestTimeoutMs, pricing }
          : undefined;
      },
    });
  }

  /** A host that asks with `confirm`, then shows progress titled for the chosen engine until `dispose()`. */
  host(source: string, confirm: (offer: RunOffer) => Promise<RunChoice>): VscodeRunHost {
    const cancel = new AbortController();
    let report: ((progress: RunProgress | BatchProgress, engine: RunEngineKind) => void) | undefined;
    let close: (() => void) | undefined;
    let disposed = false;
    const start = (engine: RunEngineKind) => {
      const title =
        engine === 'batchApi' ? `Prompt Meter: Batch API run of ${source}` : `Prompt Meter: running ${source}`;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          const subscription = token.onCancellationRequested(() => cancel.abort());
          let reported = 0;
          report = (state) => {
            const share = (state.done / Math.max(1, state.total)) * 100;
            progress.report({ increment: share - reported, message: progressText(state) });
            reported = share;
          };
          return new Promise<void>((resolve) => {
            close = () => {
              subscription.dispose();
              resolve();
            };
            if (disposed) close();
          });
        },
      );
    };
    return {
      host: {
        signal: cancel.signal,
        confirm: async (offer) => {
          const choice = await confirm(offer);
          if (choice !== 'cancel') start(offer.only ?? choice.engine);
          return choice;
        },
        progress: (state, engine) => report?.(state, engine),
      },
      dispose: () => {
        disposed = true;
        close?.();
        close = undefined;
      },
    };
  }
}

function progressText(state: RunProgress | BatchProgress): string {
  const batch =
    'phase' in state ? `batch ${state.batches.map((item) => item.status).join(', ') || state.phase} · ` : '';
  const failed = state.failed > 0 ? ` (${state.failed} failed)` : '';
  const eta = state.etaSeconds !== undefined ? ` · ETA ${Math.ceil(state.etaSeconds)} s` : '';
  return `${batch}${state.done}/${state.total}${failed} · ${formatMoney(state.cost)}${eta}`;
}
