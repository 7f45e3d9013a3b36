import type { ReportWebviewMessage } from '../shared/reportMessages';

/** What the webview keeps across being hidden and shown (VS Code's webview state). */
export interface ReportViewState {
  /** Which breakdown table is shown. */
  readonly breakdown: 'model' | 'file' | 'run';
}

/** The slice of VS Code's webview API this view uses. */
export interface ReportHost {
  post(message: ReportWebviewMessage): void;
  state(): ReportViewState;
  saveState(state: ReportViewState): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Wraps `acquireVsCodeApi()` (callable once per page) with typed messages and state. */
export function connectToHost(): ReportHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    state: () => {
      const saved = api.getState() as Partial<ReportViewState> | undefined;
      const breakdown = saved?.breakdown;
      return { breakdown: breakdown === 'file' || breakdown === 'run' ? breakdown : 'model' };
    },
    saveState: (state) => api.setState(state),
  };
}
