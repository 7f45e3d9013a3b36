/** Which OpenAI API a chat prompt is sent through. */
export type ChatApi = 'chat' | 'responses';

/**
 * The API for a chat prompt: what the prompt declares (`api: responses`, Prompty v2 `apiType`), else Chat
 * Completions unless the model is served only by `/v1/responses` (its `endpoints` in the model table lack
 * `chat`, e.g. o3-pro). Pure; the request builder and the run planner ask it when they build jobs.
 */
export function chooseChatApi(declared: ChatApi | undefined, endpoints: readonly string[]): ChatApi {
  if (declared) return declared;
  return !endpoints.includes('chat') && endpoints.includes('responses') ? 'responses' : 'chat';
}
