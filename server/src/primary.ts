import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config';
import { type OpenDatabase, openDatabase } from './db/open';

/** Tells a server process which one it is (0 runs the maintenance). */
export const WORKER_ENV = 'FANLAB_SERVER_INDEX';

/** A process that dies this often within RESTART_WINDOW_MS is not restarted again: we stop. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1_000;
/** Longest a server process gets to finish its requests on shutdown before it is killed. */
const STOP_GRACE_MS = 20_000;

/**
 * WEB_CONCURRENCY > 1: the primary process. It owns the database (it starts the embedded cluster
 * when there is no DATABASE_URL, and restarts it if it dies) and applies migrations, then runs
 * WEB_CONCURRENCY server processes on the same port (node:cluster hands each new connection to
 * the next one). They share nothing but PostgreSQL: each has its own pool, LISTEN connection,
 * live hub and caches, as separate replicas do. A process that dies is started again; on SIGTERM
 * or SIGINT every process finishes its requests, then the database stops.
 */
export async function runPrimary(config: Config, log: Logger): Promise<void> {
  const started = Date.now();
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase(config, log, { bounded: true });
    const applied = await database.migrate();
    if (applied.length) log.info({ applied }, 'migrations applied');
  } catch (err) {
    log.fatal({ err }, 'Fanlab could not start');
    await database?.close().catch(() => {});
    process.exit(1);
  }
  const db = database;
  const env = { DATABASE_URL: db.url };
  const workers = new Map<number, Worker>();
  const restarts: number[] = [];
  let ready = false;
  let stopping = false;

  const finish = async (code: number) => {
    await db.close().catch((err) => log.error({ err }, 'could not stop the database'));
    if (code === 0) log.info('stopped cleanly');
    process.exit(code);
  };

  const stopAll = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${why}: finishing in-flight requests and shutting down`);
    const exits = [...workers.values()].map(
      (worker) =>
        new Promise<number>((resolve) => {
          if (worker.isDead()) return resolve(worker.process.exitCode ?? 1);
          const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
          worker.once('exit', (exitCode, signal) => {
            clearTimeout(kill);
            // still starting (no handler yet): our SIGTERM ended it before it served anything
            resolve(exitCode === 0 || signal === 'SIGTERM' ? 0 : 1);
          });
          worker.process.kill('SIGTERM');
        }),
    );
    const codes = await Promise.all(exits);
    await finish(codes.every((c) => c === 0) ? code : 1);
  };

  const fork = (index: number) => {
    const worker = cluster.fork({ ...env, [WORKER_ENV]: String(index) });
    workers.set(index, worker);
    worker.once('exit', (code, signal) => {
      if (workers.get(index) === worker) workers.delete(index);
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!ready) {
        log.fatal(`server process ${index + 1} exited (${how}) before it was ready`);
        void stopAll('startup failed', 1);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        log.fatal(`server processes died ${restarts.length} times within a minute: stopping`);
        void stopAll('too many restarts', 1);
        return;
      }
      log.error(`server process ${index + 1} exited (${how}): starting it again`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  };

  let stoppingSince = 0;
  const onSignal = (signal: string) => {
    if (stoppingSince) {
      // A terminal's Ctrl-C reaches every process of the group, and npm may relay it once more.
      if (Date.now() - stoppingSince < 3_000) return;
      log.warn(`${signal} again: exiting now`);
      for (const worker of workers.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stoppingSince = Date.now();
    void stopAll(signal, 0);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  const listening = Array.from(
    { length: config.webConcurrency },
    (_, index) => new Promise<void>((resolve) => fork(index).once('listening', () => resolve())),
  );
  await Promise.all(listening);
  if (stopping) return;
  ready = true;
  log.info(
    `Fanlab is serving http://${config.host}:${config.port} with ${config.webConcurrency} server processes (ready in ${Date.now() - started} ms)`,
  );
}
