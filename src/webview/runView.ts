// The run view webview: waits for a snapshot of one run from the extension host and renders it with the DOM API
// only (never HTML strings: answers and error texts can contain markup). Malformed messages are ignored.
import { formatUsd } from '../core/estimate/formatting';
import { isRunViewHostMessage, type RunViewModel, type RunViewWebviewMessage } from '../shared/runViewMessages';
import { element } from './dom';

interface VsCodeApi {
  postMessage(message: RunViewWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function cost(costUsd: number | null): string {
  return costUsd === null ? 'unknown' : formatUsd(costUsd);
}

function render(root: HTMLElement, run: RunViewModel): void {
  const counts = new Map<string, number>();
  for (const job of run.jobs) counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(' · ');
  const total =
    run.unknownCosts > 0
      ? `${formatUsd(run.knownCostUsd)} + ${run.unknownCosts} of unknown cost`
      : formatUsd(run.knownCostUsd);
  const rows = run.jobs.map((job) =>
    element(
      'tr',
      { className: `job status-${job.status}`, attributes: { 'data-job': job.id } },
      element('td', { className: 'job-id', text: job.id }),
      element('td', { text: job.model }),
      element('td', { className: 'status', text: job.status }),
      element('td', {
        className: 'cost number',
        text: cost(job.costUsd),
        title: job.cache ? `cache: ${job.cache}` : '',
      }),
      element('td', { className: 'output' }, element('pre', { text: job.output })),
    ),
  );
  const stopped = run.stopReason ? [element('p', { className: 'run-error', text: `Stopped: ${run.stopReason}` })] : [];
  root.replaceChildren(
    element('h1', { text: `Run ${run.id}` }),
    element('p', {
      className: 'hint',
      text: `${run.source} · ${run.status} · ${run.createdAt} · ${summary} · spent ${total}`,
    }),
    ...stopped,
    element(
      'table',
      { className: 'run-jobs' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ...['Job', 'Model', 'Status', 'Cost', 'Output'].map((title) => element('th', { text: title })),
        ),
      ),
      element('tbody', {}, ...rows),
    ),
  );
}

const api = acquireVsCodeApi();
const root = document.getElementById('root');
if (root) {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isRunViewHostMessage(event.data)) render(root, event.data.run);
  });
  api.postMessage({ type: 'ready' });
}
