/**
 * The models Prompt Meter picks itself, beside the catalog that describes them (model facts live in src/core/models).
 */

/** The `promptmeter.defaultModel` setting's default: prompts that name no model are estimated and run on it. */
export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';

/**
 * The embeddings model that compares questions (similar-question grouping) and free-text answers (Compare Models'
 * similarity scoring). Small and cheap; its calls are cached per text.
 */
export const SIMILARITY_MODEL = 'text-embedding-3-small';
