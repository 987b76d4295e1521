import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Role, roles } from '@fanlab/shared';
import pino from 'pino';
import { createUser, setRole } from './auth/actions';
import { seconds, writeBackup } from './backup/backup';
import { BackupError } from './backup/format';
import { type OpenedBackup, openBackup, restoreBackup } from './backup/restore';
import { ExportError, ExportUsageError, exportCommands, exportUsage, runExport } from './cli-export';
import { PasswordInputError, readPassword } from './cli-password';
import { loadConfig } from './config';
import { migrateToLatest } from './db/migrate';
import { openDatabase } from './db/open';
import { withTx } from './db/tx';
import { AppError } from './http/errors';

const usage = `Fanlab operator CLI (uses DATABASE_URL, or the embedded database; works while the server runs;
export:* use the HTTP API instead)

  npm run cli -- migrate
  npm run cli -- user:create --username NAME --email EMAIL [--role ROLE]
                                       asks for the password (or reads its first line of stdin);
                                       --password PASSWORD works too but stays in shell history
  npm run cli -- user:role --username NAME --role ROLE
  npm run cli -- backup --out FILE     consistent snapshot of every table (gzip), while the server runs
  npm run cli -- restore FILE          into an EMPTY database only; all or nothing, verified
${exportUsage}

Roles: ${roles.join(', ')}`;

class UsageError extends Error {}

function roleArg(value: string | undefined): Role {
  if (!value) return 'member';
  if (!(roles as readonly string[]).includes(value)) throw new UsageError(`unknown role '${value}'`);
  return value as Role;
}

function required(values: Record<string, string | undefined>, ...names: string[]) {
  for (const name of names) if (!values[name]) throw new UsageError(`--${name} is required`);
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  const exportCommand = exportCommands.find((c) => c === command);
  if (exportCommand) {
    if (rest.includes('--help')) {
      console.log(usage);
      return 0;
    }
    return runExport(exportCommand, rest);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      out: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!['migrate', 'user:create', 'user:role', 'backup', 'restore'].includes(command)) {
    throw new UsageError(`unknown command '${command}'`);
  }
  if (command === 'user:create') required(values, 'username', 'email');
  if (values.password !== undefined) {
    console.error(
      'warning: --password leaves the password in your shell history and the process list; ' +
        'leave it out to be asked for it, or pipe it on standard input',
    );
  }
  if (command === 'user:role') required(values, 'username', 'role');
  if (command === 'backup') {
    required(values, 'out');
    writableFile(values.out ?? '');
  }
  if (command === 'restore' && positionals.length !== 1) throw new UsageError('restore takes one FILE');
  if (command !== 'restore' && positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const role = roleArg(values.role);
  // Read and check the backup before any database is opened (or an embedded cluster created).
  const backup = command === 'restore' ? await openBackup(readableFile(positionals[0] ?? '')) : undefined;

  // Asked before any database is opened: a missing password fails fast.
  const password = command === 'user:create' ? (values.password ?? (await readPassword())) : undefined;

  const config = loadConfig();
  const log = pino({ level: process.env.LOG_LEVEL || 'warn' });
  const database = await openDatabase(config, log, { attach: true });
  try {
    if (command === 'backup') return await backupCommand(database.url, values.out ?? '');
    if (backup) return await restoreCommand(database.url, backup);
    const applied = await migrateToLatest(database.db);
    if (command === 'migrate') {
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    }
    const { db } = database;
    if (command === 'user:create') {
      const user = await createUser(db, {
        username: values.username ?? '',
        email: values.email ?? '',
        password: password ?? '',
        role,
      });
      console.log(`created user ${user.username} (id ${user.id}, role ${user.role})`);
      return 0;
    }
    const target = await db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', (values.username ?? '').toLowerCase()))
      .executeTakeFirst();
    if (!target) throw new UsageError(`no user named '${values.username}'`);
    const user = await withTx(db, (tx) => setRole(tx, null, target.id, role));
    console.log(`${user.username} is now ${user.role}`);
    return 0;
  } finally {
    await database.close();
  }
}

const progress = (message: string) => console.error(message);

async function backupCommand(url: string, out: string): Promise<number> {
  const started = Date.now();
  const summary = await writeBackup(url, out, progress);
  console.log(
    `backup written to ${out}: ${summary.tables.length} tables, ${summary.rows} rows, ` +
      `${(summary.bytes / 1024 / 1024).toFixed(1)} MiB, schema ${summary.header.migrations.at(-1)}, ` +
      `snapshot of ${summary.header.createdAt}, in ${seconds(started)}`,
  );
  return 0;
}

async function restoreCommand(url: string, backup: OpenedBackup): Promise<number> {
  const started = Date.now();
  const summary = await restoreBackup(url, backup, progress);
  const migrated = summary.migratedAfter.length ? `, then migrated: ${summary.migratedAfter.join(', ')}` : '';
  console.log(
    `restored ${backup.file} (snapshot of ${backup.header.createdAt}, schema ${backup.header.migrations.at(-1)}): ` +
      `${summary.tables.length} tables, ${summary.rows} rows, verified${migrated}, in ${seconds(started)}`,
  );
  return 0;
}

function writableFile(file: string) {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`no folder ${folder} for --out`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--out ${file} is a folder`);
}

function readableFile(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no file ${file}`);
  return file;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      err instanceof PasswordInputError ||
      err instanceof ExportUsageError ||
      err instanceof AppError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`error: ${(err as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    if (err instanceof BackupError || err instanceof ExportError) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
