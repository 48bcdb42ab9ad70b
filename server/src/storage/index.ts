import type { Store } from './port.js';
import { openSqliteStore } from './sqlite/sqliteStore.js';
import { openMongoStore } from './mongo/mongoStore.js';

export type { Store } from './port.js';

export interface StoreConfig {
  mongodbUri: string | null;
  dataDir: string;
}

/** MongoDB when `MONGODB_URI` is configured, otherwise the embedded SQLite store. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.mongodbUri) return openMongoStore({ uri: config.mongodbUri });
  return openSqliteStore({ dataDir: config.dataDir });
}
