// The Cost Report webview: waits for full snapshots from the extension host and renders them with the DOM API
// only (never HTML strings). Messages that do not have the expected shape are ignored.
import { isReportHostMessage } from '../shared/reportMessages';
import { ReportPage } from './reportPage';
import { connectToHost } from './vscodeApi';

const host = connectToHost();
const root = document.getElementById('root');
if (root) {
  const page = new ReportPage(root, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isReportHostMessage(event.data)) page.show(event.data);
  });
  host.post({ type: 'ready' });
}
