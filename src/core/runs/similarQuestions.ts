import type { RunJob } from './runJob';

export interface SimilarGroup {
  /** The job that is sent; the others may reuse its answer. */
  readonly leader: string;
  readonly members: ReadonlyArray<{ readonly jobId: string; readonly similarity: number }>;
}

export interface SimilarityOptions {
  /** Cosine similarity at or above which two questions are "the same question" (e.g. 0.92). */
  readonly threshold: number;
}

/**
 * Words whose presence on one side only flips the meaning ("enable X" vs "disable X", "can I" vs "can't I"):
 * two questions that differ in any of them are never grouped, however similar their embeddings are.
 */
const POLARITY_WORDS = new Set([
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'without',
  'cannot',
  "can't",
  'cant',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "isn't",
  'isnt',
  "won't",
  'wont',
  "didn't",
  'didnt',
  "shouldn't",
  "wasn't",
  "aren't",
  'unable',
  'except',
  'enable',
  'enabled',
  'disable',
  'disabled',
  'allow',
  'allowed',
  'block',
  'blocked',
  'deny',
  'add',
  'remove',
  'increase',
  'decrease',
  'start',
  'stop',
  'on',
  'off',
  'include',
  'exclude',
  'upgrade',
  'downgrade',
  'lock',
  'unlock',
  'activate',
  'deactivate',
  'subscribe',
  'unsubscribe',
  'install',
  'uninstall',
  'before',
  'after',
  'more',
  'less',
  'min',
  'max',
  'minimum',
  'maximum',
  'first',
  'last',
  'open',
  'close',
  'show',
  'hide',
  'import',
  'export',
  'buy',
  'sell',
]);
const NUMBER = /\d+(?:[.,]\d+)?/g;

/** True when grouping `left` and `right` could never change the answer's meaning by negation or numbers. */
export function compatibleQuestions(left: string, right: string): boolean {
  const numbers = (text: string) =>
    (text.match(NUMBER) ?? [])
      .map((number) => number.replace(',', '.'))
      .sort()
      .join('|');
  if (numbers(left) !== numbers(right)) return false;
  const words = (text: string) =>
    new Set(
      text
        .toLowerCase()
        .replace(/[’‘]/g, "'")
        .match(/[a-z']+/g) ?? [],
    );
  const leftWords = words(left);
  const rightWords = words(right);
  for (const word of POLARITY_WORDS) if (leftWords.has(word) !== rightWords.has(word)) return false;
  return true;
}

export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    dot += left[index]! * right[index]!;
    leftNorm += left[index]! ** 2;
    rightNorm += right[index]! ** 2;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

/**
 * Groups jobs that ask the same question in other words: same prompt file and model, embeddings at or above
 * the threshold, and compatible wording (no negation or number differences). Greedy, in job order: each job
 * joins the first group whose leader it matches. Only groups with more than one job are returned.
 */
export function groupSimilarJobs(
  jobs: readonly RunJob[],
  embeddingOf: (question: string) => readonly number[] | undefined,
  options: SimilarityOptions,
): SimilarGroup[] {
  const groups: Array<{
    leader: RunJob;
    vector: readonly number[];
    members: Array<{ jobId: string; similarity: number }>;
  }> = [];
  for (const job of jobs) {
    if (job.endpoint !== 'chat.completions' || job.question.trim() === '') continue;
    const vector = embeddingOf(job.question);
    if (!vector) continue;
    const group = groups.find(
      (candidate) =>
        candidate.leader.file === job.file &&
        candidate.leader.model === job.model &&
        candidate.leader.dedupeKey !== job.dedupeKey &&
        compatibleQuestions(candidate.leader.question, job.question) &&
        cosineSimilarity(candidate.vector, vector) >= options.threshold,
    );
    if (group) group.members.push({ jobId: job.id, similarity: cosineSimilarity(group.vector, vector) });
    else groups.push({ leader: job, vector, members: [] });
  }
  return groups
    .filter((group) => group.members.length > 0)
    .map((group) => ({ leader: group.leader.id, members: group.members }));
}

/** follower → leader for the groups the user accepts (all of them when semantic dedupe is on). */
export function followersOf(groups: readonly SimilarGroup[]): Map<string, string> {
  const followers = new Map<string, string>();
  for (const group of groups) for (const member of group.members) followers.set(member.jobId, group.leader);
  return followers;
}
