import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db';
import { verifyPassword } from './auth/passwords';
import { REPO_ROOT } from './config';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function cliWithInput(input: string | undefined, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: database.url },
    encoding: 'utf8',
    input: input ?? '',
  });
  return { code: result.status, out: result.stdout + result.stderr };
}
const cli = (...args: string[]) => cliWithInput(undefined, ...args);

describe('operator CLI', () => {
  it('creates a user with a role and changes roles, writing the audit log', async () => {
    const created = cli(
      'user:create',
      '--username',
      'Opal_Admin',
      '--email',
      'opal@example.com',
      '--password',
      'granite-lantern-41',
      '--role',
      'admin',
    );
    expect(created.out).toContain('created user Opal_Admin');
    expect(created.code).toBe(0);
    const row = await database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'Opal_Admin')
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');

    const changed = cli('user:role', '--username', 'opal_admin', '--role', 'moderator');
    expect(changed.code).toBe(0);
    const audit = await database.db.selectFrom('audit_log').selectAll().where('target_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: null,
      action: 'user.role_changed',
      data: { from: 'admin', to: 'moderator' },
    });
  });

  it('reads the password from standard input, and warns when it is given on the command line', async () => {
    const piped = cliWithInput(
      'saffron-harbour-72\n',
      'user:create',
      '--username',
      'piped_fan',
      '--email',
      'piped@example.com',
    );
    expect(piped.out).toContain('created user piped_fan');
    expect(piped.out).not.toContain('warning');
    expect(piped.code).toBe(0);
    const hash = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'piped_fan')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(hash.password_hash, 'saffron-harbour-72')).toBe(true);

    const none = cli('user:create', '--username', 'no_pw_fan', '--email', 'nopw@example.com');
    expect(none.code).toBe(2);
    expect(none.out).toContain('no password on standard input');

    const flagged = cli(
      'user:create',
      '--username',
      'flag_fan',
      '--email',
      'flag@example.com',
      '--password',
      'granite-lantern-41',
    );
    expect(flagged.code).toBe(0);
    expect(flagged.out).toMatch(/warning: --password leaves the password in your shell history/);
  });

  it('refuses bad input with exit code 2 and a clear message, writing nothing', async () => {
    const cases = [
      ['user:create', '--username', 'x', '--email', 'x@example.com', '--password', 'granite-lantern-41'],
      ['user:create', '--username', 'weak_pw', '--email', 'weak@example.com', '--password', 'password123'],
      ['user:create', '--username', 'no_email'],
      ['user:role', '--username', 'nobody_at_all', '--role', 'admin'],
      ['user:role', '--username', 'opal_admin', '--role', 'king'],
      ['user:frobnicate'],
      ['user:create', '--bogus'],
    ];
    const before = await database.db.selectFrom('users').select('id').execute();
    for (const args of cases) {
      const result = cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.out).toMatch(/^error: /m);
    }
    expect(await database.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
    // seven CLI processes one after the other: each starts tsx (seconds on a loaded machine)
  }, 120_000);
});
