import { normalizeModelName } from '../tokens/encodingForModel';
import { MODEL_CATALOG, type CatalogModel } from './modelCatalog';

const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$|-\d{4}$/;

/** Finds a catalog model by id, also for dated snapshots (`gpt-4o-2024-08-06`) and provider prefixes. */
export function findCatalogModel(
  model: string,
  catalog: readonly CatalogModel[] = MODEL_CATALOG,
): CatalogModel | undefined {
  const name = normalizeModelName(model);
  return (
    catalog.find((entry) => entry.id === name) ?? catalog.find((entry) => entry.id === name.replace(DATED_SNAPSHOT, ''))
  );
}
