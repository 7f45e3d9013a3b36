import type { BatchProgress, BatchSummary } from '../batchApi/runBatchApi';
import type { BudgetDecision } from '../report/budget';
import { MoneySum, type MoneyAmount } from '../report/money';
import type { RunOutcome, RunProgress } from './executeRun';
import type { JobResult, RunJob } from './runJob';
import { planRun, type PlanLimits, type RunPlan } from './runPlan';
import type { PreparedRun } from './prepareRun';
import type { RunFolder, RunStore } from './runStore';
import { similarText } from './runSummary';

/** How a confirmed run is sent: through the throttled client, or the OpenAI Batch API (50%, within 24 h). */
export type RunEngineKind = 'standard' | 'batchApi';

/** What the host shows before anything is spent, and asks the user to choose from. */
export interface RunOffer {
  readonly folder: RunFolder;
  readonly plan: RunPlan;
  /** The calls to be sent at each engine's prices; jobs without a known price are the unknown part. */
  readonly cost: Readonly<Record<RunEngineKind, MoneyAmount>>;
  /** The budget gate at each engine's price (so choosing the Batch API can bring a run within budget). */
  readonly budget: Readonly<Record<RunEngineKind, BudgetDecision>>;
  /** The engine to put first: the Batch API from `batchApiThreshold` calls on. */
  readonly suggested: RunEngineKind;
  /** Set when only one engine can run it (a batch in flight is polled, never resent; a retry of failed jobs is standard). */
  readonly only?: RunEngineKind;
  /** What will not be sent and why (refused settings, files too large, context overflow). */
  readonly skipped: readonly string[];
  /** Other lines worth reading (similar questions, a rebuilt run.json). */
  readonly notes: readonly string[];
}

/** The user's answer: an engine (over budget only when said so), or cancel. */
export type RunChoice = { readonly engine: RunEngineKind; readonly overBudget?: boolean } | 'cancel';

/** What each front end supplies: the confirmation, a progress display, a cancel signal. */
export interface RunHost {
  confirm(offer: RunOffer): Promise<RunChoice>;
  progress?(progress: RunProgress | BatchProgress, engine: RunEngineKind): void;
  readonly signal?: AbortSignal;
}

/** How an engine's run ended, with what it can say about its HTTP calls and batches. */
export interface EngineOutcome {
  readonly outcome: RunOutcome;
  readonly batches?: readonly BatchSummary[];
  /** HTTP calls made besides the client's own counters (the Batch API's files, batches and polls). */
  readonly counters?: { readonly requests: number; readonly retries: number; readonly rateLimited: number };
}

export interface EngineRequest {
  readonly followers: ReadonlyMap<string, string>;
  readonly onlyJobs?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: RunProgress | BatchProgress) => void;
}

/** An engine sends a folder's pending jobs; both share follower reuse, ledger entries and output formatting. */
export type RunEngine = (folder: RunFolder, request: EngineRequest) => Promise<EngineOutcome>;

export interface RunSessionOptions {
  readonly store: RunStore;
  readonly engines: Readonly<Record<RunEngineKind, RunEngine>>;
  readonly host: RunHost;
  /** The budget gate for a planned amount (`null`: unknown), e.g. `checkRunBudget` bound to the ledger and settings. */
  readonly checkBudget: (plannedUsd: number | null) => Promise<BudgetDecision>;
  /** `promptmeter.batchApi.threshold`: from this many calls the Batch API is suggested first. */
  readonly batchApiThreshold: number;
  /** True when the run has a batch in flight (resume polls it; sending again would pay twice). */
  readonly batchInFlight: (folder: RunFolder) => boolean;
}

/** Where a session starts: freshly prepared jobs, or a run folder to resume (everything unanswered) or retry (its failures). */
export type RunStart =
  | { readonly kind: 'new'; readonly source: string; readonly prepared: PreparedRun }
  | {
      readonly kind: 'resume' | 'retryFailed';
      /** A run id, a folder path, or `last`. */
      readonly run: string;
      readonly limits: PlanLimits;
      readonly budgetUsd?: number;
      /** The same lookup the client makes (all tiers), so the plan's cached count is the hits that follow. */
      readonly isCached?: (job: RunJob) => Promise<boolean>;
    };

export interface RunSessionResult {
  readonly folder: RunFolder;
  readonly plan: RunPlan;
  /** `declined`: the user cancelled at the plan; `refused`: over budget and not overridden; `nothing`: no job to send. */
  readonly status: 'ran' | 'declined' | 'refused' | 'nothing';
  readonly engine?: RunEngineKind;
  readonly decision?: BudgetDecision;
  readonly run?: EngineOutcome;
  readonly offer: RunOffer;
}

/**
 * One run, the same in every front end: open or create the run folder → plan → the budget decision at the
 * price of the engine chosen (an unknown price stays unknown) → execute with that engine → a result the host
 * summarises. Nothing is sent before the host confirms, and nothing over budget unless the host says so.
 */
export async function runSession(start: RunStart, options: RunSessionOptions): Promise<RunSessionResult> {
  const { folder, plan, followers, onlyJobs, skipped, notes } = await openRun(start, options.store);
  const batchInFlight = options.batchInFlight(folder);
  // A batch in flight is polled, never sent again; otherwise the host chooses (a retry of many failed jobs too).
  const only: RunEngineKind | undefined = batchInFlight ? 'batchApi' : undefined;
  const cost = { standard: plannedCost(plan, 'standard'), batchApi: plannedCost(plan, 'batchApi') };
  const budget = {
    standard: await options.checkBudget(budgetAmount(cost.standard)),
    batchApi: await options.checkBudget(budgetAmount(cost.batchApi)),
  };
  const suggested: RunEngineKind = only ?? (plan.calls >= options.batchApiThreshold ? 'batchApi' : 'standard');
  const offer: RunOffer = { folder, plan, cost, budget, suggested, ...(only ? { only } : {}), skipped, notes };
  if (!batchInFlight && onlyJobs?.size === 0) return { folder, plan, status: 'nothing', offer };
  const choice = await options.host.confirm(offer);
  if (choice === 'cancel') {
    // A new run declined at its plan sent nothing: it leaves no run folder behind (nothing to resume or list).
    if (start.kind === 'new') {
      folder.discard();
      return { folder, plan, status: 'declined', offer };
    }
    folder.saveIndex({
      status: folder.index.status === 'running' ? 'cancelled' : folder.index.status,
      stopReason: 'Not started.',
    });
    return { folder, plan, status: 'declined', offer };
  }
  const engine = only ?? choice.engine;
  const decision = budget[engine];
  if (decision.level === 'exceeded' && !choice.overBudget) {
    folder.saveIndex({ stopReason: `Not started: ${decision.messages.join(' ')}` });
    return { folder, plan, status: 'refused', engine, decision, offer };
  }
  const run = await options.engines[engine](folder, {
    followers,
    ...(onlyJobs ? { onlyJobs } : {}),
    ...(options.host.signal ? { signal: options.host.signal } : {}),
    onProgress: (progress) => options.host.progress?.(progress, engine),
  });
  return {
    folder,
    plan,
    status: 'ran',
    engine,
    decision: { ...decision, allowed: true, overridden: decision.level === 'exceeded' },
    run,
    offer,
  };
}

/**
 * The planned calls at an engine's prices. Jobs whose model has no price are the unknown part; when no job is
 * priced the amount is unknown, never $0.
 */
export function plannedCost(plan: RunPlan, engine: RunEngineKind): MoneyAmount {
  return new MoneySum().addParts(engine === 'batchApi' ? plan.batchCostUsd : plan.costUsd, plan.unpricedJobs).amount;
}

/** What the budget gate is given: the known part (a lower bound), or `null` when nothing has a known price. */
export function budgetAmount(cost: MoneyAmount): number | null {
  return cost.unpriced > 0 && cost.knownUsd === 0 ? null : cost.knownUsd;
}

async function openRun(start: RunStart, store: RunStore) {
  if (start.kind === 'new') {
    const { prepared } = start;
    const folder = store.create(start.source, prepared.jobs, prepared.plan.costUsd);
    if (prepared.similarGroups.length > 0)
      folder.writeFile('similar-groups.json', `${JSON.stringify(prepared.similarGroups, null, 2)}\n`);
    const similar = similarText(prepared.similarGroups, prepared.followers.size > 0);
    return {
      folder,
      plan: prepared.plan,
      followers: prepared.followers as ReadonlyMap<string, string>,
      onlyJobs: undefined,
      // `problems` holds every refusal already, as a sentence (file:line: not sent — …), and the other skips.
      skipped: [...prepared.problems],
      notes: similar ? [similar] : [],
    };
  }
  const folder = store.open(start.run);
  const jobs = folder.jobs();
  const results = folder.results();
  const failedIds = new Set([...results].filter(([, result]) => result.error).map(([id]) => id));
  const onlyJobs = start.kind === 'retryFailed' ? failedIds : undefined;
  const done = new Set(
    jobs.filter((job) => (onlyJobs ? !onlyJobs.has(job.id) : isAnswered(results.get(job.id)))).map((job) => job.id),
  );
  const cached = new Set<string>();
  if (start.isCached) for (const job of jobs) if (!done.has(job.id) && (await start.isCached(job))) cached.add(job.id);
  const plan = planRun({ jobs, done, cached, limits: start.limits, budgetUsd: start.budgetUsd });
  const notes = folder.notice ? [folder.notice] : [];
  if (onlyJobs)
    notes.push(
      `Retrying the ${onlyJobs.size} failed job${onlyJobs.size === 1 ? '' : 's'}; answered and never-sent jobs are left as they are.`,
    );
  return {
    folder,
    plan,
    followers: new Map<string, string>() as ReadonlyMap<string, string>,
    onlyJobs,
    skipped: [] as string[],
    notes,
  };
}

function isAnswered(result: JobResult | undefined): boolean {
  return result !== undefined && !result.error;
}
