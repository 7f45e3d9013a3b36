// The Compare Models webview: renders the comparison snapshots the host sends (after `ready`) with the DOM API
// only. Messages that do not have the expected shape are ignored.
import { isComparisonHostMessage, type ComparisonWebviewMessage } from '../shared/compareMessages';
import { ComparisonPage } from './comparePage';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const api = acquireVsCodeApi();
const host = { post: (message: ComparisonWebviewMessage) => api.postMessage(message) };
const root = document.getElementById('root');
if (root) {
  const page = new ComparisonPage(root, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isComparisonHostMessage(event.data)) page.show(event.data);
  });
  host.post({ type: 'ready' });
}
