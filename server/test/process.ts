import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../src/config';
import { confirmationToken, decodeMail } from './mail';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Where this process writes its mail (.eml files): MAIL_DIR, a fresh temporary folder unless given. */
  mailDir: string;
  output(): string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

export interface StartOptions {
  /** Run it as this user (root only). */
  as?: { uid: number; gid: number };
  /** Node's own flags, such as --cpu-prof. */
  nodeArgs?: string[];
  /** Run the compiled server (server/dist/main.js, as `npm start` does; built by `npm run build`). */
  compiled?: boolean;
}

/**
 * Runs the real server (server/src/main.ts, or its compiled bundle) as a separate process and waits
 * until /api/ready answers. One server process unless env sets WEB_CONCURRENCY.
 */
export async function startServerProcess(
  env: Record<string, string>,
  port: number,
  options: StartOptions = {},
): Promise<ServerProcess> {
  const mailDir = env.MAIL_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'fanlab-mail-'));
  const entry = options.compiled
    ? [path.join(REPO_ROOT, 'server/dist/main.js')]
    : ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/main.ts')];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      MAIL_DIR: mailDir,
      WEB_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options.as,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (env.MAIL_DIR === undefined) void exited.then(() => rmSync(mailDir, { recursive: true, force: true }));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done && Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/api/ready`);
      if (res.ok) return { child, baseUrl, mailDir, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${output}`);
}

/** JSON request with a same-origin Origin, as the browser would send it. */
export async function call(baseUrl: string, method: string, url: string, body?: unknown, cookie?: string) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      origin: baseUrl,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    cookie: res.headers.get('set-cookie')?.split(';')[0],
  };
}

/** Whether a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The direct children of a process, from /proc (none without it; a child gone meanwhile is skipped). */
export function childPidsOf(pid: number | undefined): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.map(Number).filter((child) => {
    try {
      const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}

/** The pid of the postmaster running the embedded cluster in `clusterDir` (from postmaster.pid). */
export const postmasterPid = (clusterDir: string) =>
  Number(readFileSync(path.join(clusterDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** The .eml files in a folder, oldest first. */
export function mailFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/**
 * Signs up through the real process as a person does: sign up, wait for the mail the server
 * writes to its mail folder, open the link. Returns the confirmation's answer (with the cookie).
 */
export async function signUpByMail(
  server: ServerProcess,
  account: { username: string; email: string; password: string },
) {
  const before = mailFiles(server.mailDir).length;
  const asked = await call(server.baseUrl, 'POST', '/api/auth/sign-up', account);
  if (asked.status !== 202) throw new Error(`sign-up failed: ${asked.status} ${JSON.stringify(asked.body)}`);
  const deadline = Date.now() + 15_000;
  let files = mailFiles(server.mailDir);
  while (files.length <= before) {
    if (Date.now() > deadline) throw new Error(`no mail written to ${server.mailDir}:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
    files = mailFiles(server.mailDir);
  }
  const token = confirmationToken(decodeMail(readFileSync(files.at(-1) as string, 'utf8')));
  return call(server.baseUrl, 'POST', '/api/auth/sign-up/confirm', { token });
}
