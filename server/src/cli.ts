import { parseArgs } from 'node:util';
import { type Role, roles } from '@fanlab/shared';
import pino from 'pino';
import { createUser, setRole } from './auth/accounts';
import { loadConfig } from './config';
import { migrateToLatest } from './db/migrate';
import { openDatabase } from './db/open';
import { AppError } from './http/errors';

const usage = `Fanlab operator CLI (uses DATABASE_URL, or the embedded database; works while the server runs)

  npm run cli -- migrate
  npm run cli -- user:create --username NAME --email EMAIL --password PASSWORD [--role ROLE]
  npm run cli -- user:role --username NAME --role ROLE

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
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
    },
    strict: true,
  });
  if (!['migrate', 'user:create', 'user:role'].includes(command)) throw new UsageError(`unknown command '${command}'`);
  if (command === 'user:create') required(values, 'username', 'email', 'password');
  if (command === 'user:role') required(values, 'username', 'role');
  const role = roleArg(values.role);

  const config = loadConfig();
  const log = pino({ level: process.env.LOG_LEVEL || 'warn' });
  const database = await openDatabase(config, log, { attach: true });
  try {
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
        password: values.password ?? '',
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
    const user = await setRole(db, null, target.id, role);
    console.log(`${user.username} is now ${user.role}`);
    return 0;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      err instanceof AppError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`error: ${(err as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
