import type { RunJob } from '../../src/core/runs/runJob';
import { pendingJobs } from '../../src/core/runs/runSchedule';
import { followersOf, groupSimilarJobs } from '../../src/core/runs/similarQuestions';
import type { FaqScenario } from './faqScenario';

/** What grouping at one threshold would do to this question set, judged against the ground-truth intents. */
export interface ThresholdPoint {
  threshold: number;
  /** Jobs that reuse a similar job's answer instead of a call. */
  similarReused: number;
  /** Of those, reused across different intents (a wrong answer shown to a customer). */
  wrongMerges: number;
  /** Calls the run would send (after identical dedupe and grouping). */
  calls: number;
  /** Calls for an intent already covered by another call. */
  redundantCalls: number;
}

/** Replays grouping and scheduling (no HTTP) at each threshold with the embeddings the pass already fetched. */
export function similaritySweep(
  jobs: readonly RunJob[],
  vectorOf: (question: string) => readonly number[] | undefined,
  scenario: FaqScenario,
  thresholds: readonly number[],
): ThresholdPoint[] {
  const intentOf = (job: RunJob) => scenario.questions[(job.row ?? 0) - 1]?.intent;
  const byId = new Map(jobs.map((job) => [job.id, job]));
  return thresholds.map((threshold) => {
    const followers = followersOf(groupSimilarJobs(jobs, vectorOf, { threshold }));
    const schedule = pendingJobs(jobs, new Map(), followers);
    const leaders = schedule.leaders;
    let wrongMerges = 0;
    for (const [follower, leader] of followers)
      if (intentOf(byId.get(follower)!) !== intentOf(byId.get(leader)!)) wrongMerges++;
    return {
      threshold,
      similarReused: followers.size,
      wrongMerges,
      calls: leaders.length,
      redundantCalls: leaders.length - new Set(leaders.map(intentOf)).size,
    };
  });
}

/** Pairs of questions with different intents that grouping put together at the chosen threshold (should be none). */
export function wrongPairs(
  jobs: readonly RunJob[],
  vectorOf: (question: string) => readonly number[] | undefined,
  scenario: FaqScenario,
  threshold: number,
): string[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const intentOf = (job: RunJob) => scenario.questions[(job.row ?? 0) - 1]?.intent;
  const pairs = new Set<string>();
  for (const [follower, leader] of followersOf(groupSimilarJobs(jobs, vectorOf, { threshold }))) {
    const left = byId.get(leader)!;
    const right = byId.get(follower)!;
    if (intentOf(left) !== intentOf(right)) pairs.add(`${left.question} ≠ ${right.question}`);
  }
  return [...pairs];
}
