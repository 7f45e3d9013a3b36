import type { StartCodeServerOptions, CodeServer } from './codeServer';
import { startCodeServerForTest } from './codeServer';
import { promptMeterVsix } from './promptMeterPackage';
import { testServerSettings } from './promptMeterUi';
import { startTestServer, type TestServer, type TestServerOptions } from '../../server';

/**
 * The packaged extension in real VS Code (code-server) on `workspace`, against a local OpenAI-compatible test server
 * started with `api`: the base URL and the prompt-file association set ({@link testServerSettings}, then
 * `settings`), the server closed and `cleanUp` run when the test ends.
 */
export async function startWorkbenchWithApi(
  t: { after(fn: () => Promise<void>): void },
  options: Omit<StartCodeServerOptions, 'vsixPath' | 'settings'> & {
    readonly api: Partial<TestServerOptions>;
    readonly settings?: Record<string, unknown>;
    readonly cleanUp?: () => void;
  },
): Promise<{ readonly api: TestServer; readonly server: CodeServer }> {
  const { api: apiOptions, settings, cleanUp, ...codeServer } = options;
  const api = await startTestServer(apiOptions);
  const server = await startCodeServerForTest(
    t,
    { ...codeServer, vsixPath: promptMeterVsix(), settings: { ...testServerSettings(api.url), ...settings } },
    async () => {
      await api.close();
      cleanUp?.();
    },
  );
  return { api, server };
}
