import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import { REPO_ROOT } from '../config';

/**
 * The migrations: `migrations/NNNN_name.ts` when the server runs from its sources, their compiled
 * copies beside the bundle (`server/dist/migrations/NNNN_name.js`, server/scripts/build.mjs) when
 * it runs compiled.
 */
export const MIGRATIONS_DIR = import.meta.url.endsWith('.ts')
  ? path.join(REPO_ROOT, 'migrations')
  : fileURLToPath(new URL('./migrations/', import.meta.url));
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.(ts|js)$/;

/** Loads the migrations in name order. */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.(ts|js)$/, '')] = (await import(
        pathToFileURL(path.join(MIGRATIONS_DIR, file)).href
      )) as Migration;
    }
    return migrations;
  }
}

/**
 * Applies pending migrations, all in one transaction (all or none). Kysely holds a PostgreSQL
 * advisory lock meanwhile and reads what is pending only once it has the lock, so replicas
 * starting at once apply each migration exactly once (the others wait, then find nothing to do).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderProvider() });
  return appliedNames(await migrator.migrateToLatest());
}

/** Names of the migrations this code has, in the order they apply. */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await new FolderProvider().getMigrations()).sort();
}

/**
 * Applies pending migrations up to and including `target` (all of them when omitted) inside the
 * transaction that the caller opened on `db`'s only connection, so that they commit or roll back
 * with the caller's own work (restore uses it: schema and data in one transaction).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrateWithinTransaction(db: Kysely<any>, target?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderProvider(), disableTransactions: true });
  return appliedNames(target ? await migrator.migrateTo(target) : await migrator.migrateToLatest());
}

/** The names of the migrations a run applied; throws when one failed. */
function appliedNames({ error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
