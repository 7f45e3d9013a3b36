import type { JobResult, RunJob } from './runJob';

/** follower job id → leader job id: the follower reuses the leader's answer instead of a call. */
export type FollowerMap = ReadonlyMap<string, string>;

export interface RunSchedule {
  /** Jobs to call, in order. */
  readonly leaders: RunJob[];
  /** Pending jobs whose answer already exists in this run (an identical or accepted similar job is done). */
  readonly answeredNow: Array<{ follower: RunJob; leader: JobResult }>;
  readonly pendingCount: number;
  followersOf(leaderId: string): RunJob[];
  isSemantic(followerId: string): boolean;
}

/**
 * Decides what a (re)run sends: jobs without a successful result, one call per identical request
 * (same `dedupeKey`), and none for jobs that reuse an accepted similar job's answer. A similar-job link is
 * only honoured when its leader is itself sent or already answered (never chains of reuse). `only` limits the
 * jobs considered to those ids.
 */
export function pendingJobs(
  jobs: readonly RunJob[],
  results: ReadonlyMap<string, JobResult>,
  semanticFollowers: FollowerMap,
  only?: ReadonlySet<string>,
): RunSchedule {
  const succeeded = (id: string) => {
    const result = results.get(id);
    return result && !result.error ? result : undefined;
  };
  const answeredByKey = new Map<string, JobResult>();
  for (const job of jobs) {
    const result = succeeded(job.id);
    if (result && !answeredByKey.has(job.dedupeKey)) answeredByKey.set(job.dedupeKey, result);
  }
  // `only` (retry the failed jobs): every other job is left as it is, answered or not.
  const pending = jobs.filter((job) => !succeeded(job.id) && (!only || only.has(job.id)));
  const leaders: RunJob[] = [];
  const leaderByKey = new Map<string, RunJob>();
  const followers = new Map<string, RunJob[]>();
  const answeredNow: Array<{ follower: RunJob; leader: JobResult }> = [];
  const semantic = new Set<string>();
  const follow = (leaderId: string, follower: RunJob) =>
    followers.set(leaderId, [...(followers.get(leaderId) ?? []), follower]);
  const unplaced: RunJob[] = [];

  // Identical requests first: one leader per dedupe key.
  for (const job of pending) {
    if (semanticFollowers.has(job.id)) {
      unplaced.push(job);
      continue;
    }
    const answered = answeredByKey.get(job.dedupeKey);
    if (answered) answeredNow.push({ follower: job, leader: answered });
    else if (leaderByKey.has(job.dedupeKey)) follow(leaderByKey.get(job.dedupeKey)!.id, job);
    else {
      leaderByKey.set(job.dedupeKey, job);
      leaders.push(job);
    }
  }
  // Then accepted similar jobs, whose leader must be answered or sent itself.
  const leaderIds = new Set(leaders.map((job) => job.id));
  for (const job of unplaced) {
    const leaderId = semanticFollowers.get(job.id)!;
    const leaderResult = succeeded(leaderId);
    if (leaderResult) {
      answeredNow.push({ follower: job, leader: leaderResult });
      semantic.add(job.id);
    } else if (leaderIds.has(leaderId)) {
      follow(leaderId, job);
      semantic.add(job.id);
    } else if (leaderByKey.has(job.dedupeKey)) follow(leaderByKey.get(job.dedupeKey)!.id, job);
    else {
      leaderByKey.set(job.dedupeKey, job);
      leaders.push(job);
    }
  }
  return {
    leaders,
    answeredNow,
    pendingCount: pending.length,
    followersOf: (leaderId) => followers.get(leaderId) ?? [],
    isSemantic: (followerId) => semantic.has(followerId),
  };
}
