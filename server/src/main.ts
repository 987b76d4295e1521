import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import { buildApp } from './app';
import { deleteExpiredSignUps } from './auth/sign-up';
import { type Config, loadConfig } from './config';
import { sendWeeklyDigest } from './dashboard/digest';
import { type OpenDatabase, openDatabase } from './db/open';
import { withTx } from './db/tx';
import { unpinExpired } from './forum/actions/threads';
import { deleteExpiredLimits } from './http/rate-limit';
import { rebaseTrending } from './ideas/trending';
import { evictUnusedImages } from './images/cache';
import { createMailTransport } from './mail/transport';
import { runPrimary, WORKER_ENV } from './primary';
import { deleteAbandonedUploads } from './uploads/actions';

const MAINTENANCE_EVERY_MS = 10 * 60_000;

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    // a bad environment: say why and exit non-zero (a supervisor must not take it for a clean stop)
    pino().fatal(`Fanlab could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });
  // WEB_CONCURRENCY > 1: this process owns the database (and the embedded cluster) and runs that
  // many server processes (primary.ts); each of them, and a lone server, runs serve().
  if (cluster.isPrimary && config.webConcurrency > 1) await runPrimary(config, log);
  else await serve(config, log, cluster.isWorker ? Number(process.env[WORKER_ENV]) : 0);
}

/**
 * One server process: database (the embedded one too, when alone), migrations (when alone),
 * listen, maintenance (in the first process only), graceful shutdown.
 */
async function serve(config: Config, log: Logger, index: number) {
  const alone = !cluster.isWorker;
  const started = Date.now();
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase(config, log, { bounded: true });
    if (alone) {
      const applied = await database.migrate();
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    const app = await buildApp({
      db: database.db,
      databaseUrl: database.url,
      config,
      limits: { vote: { max: config.voteLimitPerMinute, windowSeconds: 60 } },
      live: { maxSocketsPerIp: config.liveMaxSocketsPerIp, maxSocketsPerUser: config.liveMaxSocketsPerUser },
      mail: {
        transport: createMailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, dir: config.mailDir }),
        from: config.mailFrom,
      },
    });
    await app.listen({ port: config.port, host: config.host });
    if (alone) log.info(`Fanlab is serving http://${config.host}:${config.port} (ready in ${Date.now() - started} ms)`);
    else log.debug(`server process ${index + 1} ready in ${Date.now() - started} ms`);

    const db = database.db;
    const maintain = () =>
      Promise.all([
        app.auth.deleteExpiredSessions(),
        deleteExpiredLimits(db),
        withTx(db, rebaseTrending),
        evictUnusedImages(db),
        deleteAbandonedUploads(db),
        deleteExpiredSignUps(db),
        unpinExpired(db),
        app.mail?.deleteOld(),
        withTx(db, (tx) => sendWeeklyDigest(tx)).then((told) => {
          if (told !== null) log.info({ told }, 'weekly digest of top requests sent');
        }),
      ]).catch((err) => log.warn({ err }, 'maintenance failed'));
    // Every task is safe to run anywhere, but once per database is enough: the first process runs them.
    const maintenance = index === 0 ? setInterval(maintain, MAINTENANCE_EVERY_MS) : undefined;
    if (maintenance) {
      void maintain();
      maintenance.unref();
    }

    let stoppingSince = 0;
    const stop = async (signal: string) => {
      if (stoppingSince) {
        // Supervisors (npm, tsx watch) often relay one Ctrl-C as a second signal: only a later
        // one means "stop waiting".
        if (Date.now() - stoppingSince < 3_000) return;
        log.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      stoppingSince = Date.now();
      log.info(`${signal}: finishing in-flight requests and shutting down`);
      clearInterval(maintenance);
      try {
        await app.close(); // stop accepting, finish in-flight requests, close sockets and the listener
        await database?.close(); // pool, then the embedded cluster
        if (alone) log.info('stopped cleanly');
        process.exit(0);
      } catch (err) {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      }
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    // The primary is gone (killed): stop too, rather than serve without anyone to restart us.
    if (!alone) {
      process.on('disconnect', () => {
        if (!stoppingSince) void stop('primary gone');
      });
    }
  } catch (err) {
    log.fatal({ err }, 'Fanlab could not start');
    await database?.close().catch(() => {});
    process.exit(1);
  }
}

process.on('unhandledRejection', (reason) => {
  pino().error({ err: reason }, 'unhandled rejection');
});

void main();
