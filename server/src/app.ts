import { randomUUID } from 'node:crypto';
import { defaultSiteSettings, type SiteSettings } from '@fanlab/shared';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyServerOptions, LogController } from 'fastify';
import { sql } from 'kysely';
import { adminRoutes } from './admin/routes';
import { type AuthLimits, authRoutes, sessionHook } from './auth/routes';
import { SessionCache } from './auth/session-cache';
import { type Auth, createLucia, liveSessionRoles } from './auth/sessions';
import { betaChannel } from './beta/channel';
import { betaRoutes } from './beta/routes';
import { ApplicationWriter } from './beta/writer';
import { bookmarkRoutes } from './bookmarks/routes';
import type { Config } from './config';
import { dashboardRoutes } from './dashboard/routes';
import { type Db, poolOf } from './db/connect';
import { draftRoutes } from './drafts/routes';
import { CategoryDirectory, type CategoryPlace } from './forum/category-places';
import { threadChannel } from './forum/channel';
import type { ThreadPageCache } from './forum/queries';
import { ReaderMarksLoader } from './forum/reader-marks';
import { type ForumLimits, forumRoutes } from './forum/routes';
import type { App } from './http/app-type';
import { registerCompression } from './http/compression';
import { databaseUnavailable, errorResponses, frameworkErrors, registerErrorHandling } from './http/errors';
import { registerSecurityHeaders } from './http/headers';
import { checkWriteOrigin } from './http/origin';
import type { Limit } from './http/rate-limit';
import { defaultRequestLog, registerRequestLog } from './http/request-log';
import { CACHE_CHANNEL, ResponseCache, registerResponseCache, TaggedCache } from './http/response-cache';
import { trustProxyOption } from './http/trust-proxy';
import { refuseUnsafeText, validatorCompiler } from './http/validation';
import { ideaChannel } from './ideas/channel';
import { HeldVoteReleaser } from './ideas/held-votes';
import { ideaRoutes } from './ideas/routes';
import { VoteWriter } from './ideas/votes';
import { VoteWindowClock } from './ideas/windows';
import type { ImageFetchOptions } from './images/fetch';
import { imageRoutes } from './images/routes';
import { type HubOptions, LiveHub } from './live/hub';
import { PgListener } from './live/listener';
import { liveRoutes } from './live/routes';
import type { MailTransport } from './mail/transport';
import { defaultMailWorker, MailWorker, type MailWorkerOptions } from './mail/worker';
import { reviewChannel } from './moderation/channel';
import { QueuePageCache } from './moderation/queue-cache';
import { moderationRoutes } from './moderation/routes';
import { deliverNotificationBatch, NOTIFICATION_BATCH_CHANNEL, notificationBatch } from './notifications/batch';
import { userChannel } from './notifications/channel';
import { notificationRoutes } from './notifications/routes';
import { defaultFanout, FANOUT_CHANNEL, type FanoutOptions, ReleaseFanout } from './releases/fanout';
import { releaseRoutes } from './releases/routes';
import { searchRoutes } from './search/routes';
import { settingsRoutes } from './settings/routes';
import { SETTINGS_CHANNEL, SiteSettingsStore } from './settings/store';
import { describeTokenRoutes } from './tokens/bearer';
import { tokenRoutes } from './tokens/routes';
import { raisedMembers, TRUST_RAISED_CHANNEL } from './trust/actions';
import { trustRoutes } from './trust/routes';
import { uploadRoutes } from './uploads/routes';
import { createUploadStore, type UploadStore } from './uploads/store';
import { userRoutes } from './users/routes';
import { registerWeb } from './web';

export interface AppOptions {
  db: Db;
  /** Connection string of the same database, for the live LISTEN connection. */
  databaseUrl: string;
  config: Pick<
    Config,
    | 'production'
    | 'trustProxy'
    | 'allowedOrigins'
    | 'webDist'
    | 'logLevel'
    | 'dbConnectTimeoutMs'
    | 'sessionIdleDays'
    | 'sessionMaxAgeDays'
    | 'publicUrl'
    | 'reviewQueueCacheMs'
    | 'responseCacheMb'
    | 'releaseFanoutParts'
    | 'uploadsDir'
    | 'uploadsS3'
    | 'uploadMaxBytes'
  >;
  limits?: Partial<Limits>;
  live?: Partial<HubOptions>;
  /** false silences logs (tests); otherwise pino at config.logLevel. */
  logger?: boolean;
  /** Tests only (never from the environment): let the image fetcher reach a local test host. */
  images?: ImageFetchOptions;
  /** Where uploads go (tests: a folder of their own); default: config's folder or S3 bucket. */
  uploads?: UploadStore;
  /** Site settings' defaults for this app (shared/src/settings.ts; admins' stored values win). */
  settings?: Partial<SiteSettings>;
  /** Sends the mail outbox from this process; without it mail waits in the outbox (tests read it there). */
  mail?: { transport: MailTransport; from: string; worker?: Partial<MailWorkerOptions> };
  /** Moves the dashboard's vote windows every minute (ideas/windows.ts); default true. */
  voteWindows?: boolean;
  /** The release fan-out worker of this process; false: none (tests drive one themselves). */
  fanout?: Partial<FanoutOptions> | false;
}

export type Limits = AuthLimits & ForumLimits & { vote: Limit };

export const defaultLimits: Limits = {
  signUpPerAddress: { max: 3, windowSeconds: 3600 },
  confirmSignUpPerIp: { max: 30, windowSeconds: 600 },
  signIn: {
    perIp: { max: 30, windowSeconds: 600 },
    failuresPerAccountIp: { max: 10, windowSeconds: 600 },
    slowdown: { afterFailures: 20, windowSeconds: 600, stepMs: 250, maxDelayMs: 5_000 },
  },
  passwordChange: { max: 10, windowSeconds: 600 },
  editPost: { max: 30, windowSeconds: 300 },
  renameThread: { max: 10, windowSeconds: 600 },
  like: { max: 60, windowSeconds: 60 },
  preview: { max: 30, windowSeconds: 300 },
  vote: { max: 120, windowSeconds: 60 },
};

export const defaultLive: HubOptions = {
  maxBufferedBytes: 1 << 20,
  pingIntervalMs: 30_000,
  maxChannelsPerSocket: 200,
  sessionCheckIntervalMs: 30_000,
  maxSocketsPerIp: 200,
  maxSocketsPerUser: 20,
  messagesPerSecond: 20,
  messageBurst: 300,
};

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    auth: Auth;
    live: LiveHub;
    /** The mail sender of this process, when it runs one. */
    mail: MailWorker | null;
    /** Releases new members' held votes when they become due (ideas/held-votes.ts). */
    heldVotes: HeldVoteReleaser;
    /** Tells voters about published releases (releases/fanout.ts); null when this app runs none. */
    fanout: ReleaseFanout | null;
    /** Anonymous answers of this process (http/response-cache.ts). */
    responses: ResponseCache;
    /** Signed-in members' sessions and API tokens of this process (auth/session-cache.ts). */
    sessions: SessionCache;
    /** Signed-in thread pages' reader marks, read in batches (forum/reader-marks.ts). */
    readerMarks: ReaderMarksLoader;
    /**
     * Resolves once every change committed before the call was heard by this process
     * (PgListener.fence), or at once while its listener is away (the caches serve nothing then).
     */
    heardAll(): Promise<void>;
  }
}

/** Signed-in members' sessions kept per process (auth/session-cache.ts). */
const SESSION_CACHE = { maxEntries: 100_000, maxAgeMs: 60_000 };

/** An anonymous answer is read again after this long even if nothing announced a change. */
const RESPONSE_MAX_AGE_MS = 60_000;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole API (and the static client) over an open database. Used by main.ts and tests. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { db, config } = options;
  const logger: FastifyServerOptions['logger'] =
    options.logger === false
      ? false
      : {
          level: config.logLevel,
          redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password'],
        };
  const app = Fastify({
    logger,
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 512 * 1024,
    requestIdHeader: false,
    // one line per failed or slow request and a summary instead (http/request-log.ts)
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  refuseUnsafeText(app);
  registerErrorHandling(app);
  if (options.logger !== false) registerRequestLog(app, defaultRequestLog);
  await registerSecurityHeaders(app, { production: config.production });
  await registerCompression(app);

  const auth = createLucia(db, {
    secureCookies: config.production,
    lifetimes: { idleDays: config.sessionIdleDays, maxAgeDays: config.sessionMaxAgeDays },
  });
  // Loaded once the live bus listens (onReady, below): no change can slip between the two.
  const settings = new SiteSettingsStore(db, { ...defaultSiteSettings, ...options.settings }, app.log);
  const hub = new LiveHub(db, { ...defaultLive, ...options.live }, app.log, (keys) =>
    liveSessionRoles(db, keys, config.sessionMaxAgeDays),
  );
  hub.registerKind('user', userChannel);
  hub.registerKind('thread', threadChannel);
  hub.registerKind('idea', ideaChannel);
  hub.registerKind('review', reviewChannel);
  hub.registerKind('beta', betaChannel);
  const reviewPages = new QueuePageCache(config.reviewQueueCacheMs);
  const sessions = new SessionCache(SESSION_CACHE);
  // RESPONSE_CACHE_MB: half for anonymous answers, half for thread pages' rows (signed-in readers')
  const cacheBytes = (config.responseCacheMb * 1024 * 1024) / 2;
  const responses = new ResponseCache({ maxBytes: cacheBytes, maxAgeMs: RESPONSE_MAX_AGE_MS });
  const threadPages: ThreadPageCache = new TaggedCache({ maxBytes: cacheBytes, maxAgeMs: RESPONSE_MAX_AGE_MS });
  const categoryPlaces = new TaggedCache<CategoryPlace[]>({ maxBytes: 8 * 1024 * 1024, maxAgeMs: RESPONSE_MAX_AGE_MS });
  const categories = new CategoryDirectory(db, categoryPlaces);
  /** Kept coherent by the live bus: each hears every message, and serves nothing while it is away. */
  const caches = [responses, threadPages, categoryPlaces, sessions];
  const heldVotes = new HeldVoteReleaser(db, () => settings.current, app.log);
  const fanout =
    options.fanout === false
      ? null
      : new ReleaseFanout(db, app.log, { ...defaultFanout, parts: config.releaseFanoutParts, ...options.fanout });
  const listener = new PgListener(
    options.databaseUrl,
    (message) => {
      reviewPages.heard(message);
      for (const cache of caches) cache.heard(message);
      // the tables' own announcements, settings changes and promotions are for this process, not for sockets
      if (message.channel === CACHE_CHANNEL) return;
      if (message.channel === SETTINGS_CHANNEL) settings.reloadSoon(() => heldVotes.soon(null));
      else if (message.channel === TRUST_RAISED_CHANNEL) {
        const userIds = raisedMembers(message.data);
        if (userIds !== undefined) heldVotes.soon(userIds);
      } else if (message.channel === FANOUT_CHANNEL) fanout?.soon();
      else if (message.channel === NOTIFICATION_BATCH_CHANNEL) {
        const batch = notificationBatch(message.data);
        if (batch) {
          deliverNotificationBatch(db, batch, hub.subscribedKeys('user'), (event) => hub.deliver(event)).catch((err) =>
            app.log.warn({ err }, 'live: could not deliver a notification batch'),
          );
        }
      } else hub.deliver(message);
    },
    () => {
      for (const cache of caches) cache.resume();
      reviewPages.clear();
      settings.reloadSoon(() => heldVotes.soon(null));
      fanout?.soon();
      hub.resync();
    },
    app.log,
    config.dbConnectTimeoutMs,
    () => {
      for (const cache of caches) cache.suspend();
    },
  );
  app.decorate('db', db);
  app.decorate('auth', auth);
  app.decorate('live', hub);
  app.decorate('heldVotes', heldVotes);
  app.decorate('fanout', fanout);
  app.decorate('responses', responses);
  app.decorate('sessions', sessions);
  // a listener that is away hears nothing, and then the caches serve nothing either: no wait
  // (straight on the pool, not through Kysely: tests that count a request's queries do not see it)
  app.decorate('heardAll', () =>
    listener
      .fence((channel, payload) => poolOf(db).query('select pg_notify($1, $2)', [channel, payload]))
      .catch(() => {}),
  );
  const mail = options.mail
    ? new MailWorker(db, options.mail.transport, options.mail.from, app.log, {
        ...defaultMailWorker,
        ...options.mail.worker,
      })
    : null;
  app.decorate('mail', mail);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Fanlab API',
        version: '0.1.0',
        description:
          'JSON API of Fanlab. Errors are `{ "error": { "code", "message", "details"? } }`. ' +
          'Writes authenticated by the session cookie need a same-origin `Origin` header. ' +
          'A request with an `Authorization: Bearer <token>` header is authenticated by that personal ' +
          'API token alone (cookies beside it are ignored): 401 `invalid_token` when it is unknown, revoked ' +
          'or expired; it reaches only the GET routes whose description names one of its scopes ' +
          '(403 `token_scope` elsewhere). ' +
          'While the database is unreachable every endpoint answers `503` `unavailable` with `Retry-After`. ' +
          'Long lists are keyset-paginated: pass `nextCursor` back as `?cursor=`. ' +
          'Anonymous reads of thread pages, thread and idea lists and categories carry a weak `ETag` ' +
          '(`Cache-Control: no-cache`): send it back as `If-None-Match` for a `304` while nothing changed.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fanlab_session' },
          token: { type: 'http', scheme: 'bearer', description: 'A personal API token (POST /api/me/tokens)' },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Who is asking first (credentials in Authorization are checked, or refused, before anything).
  sessionHook(app, db, auth, settings, sessions);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) checkWriteOrigin(request, config.allowedOrigins);
  });
  registerResponseCache(app, responses);
  app.addHook('onSend', async (request, reply, payload) => {
    // API answers are per-user: never cached by shared caches.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get(
    '/api/health',
    { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: healthSchema } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['ops'],
        summary: 'The database is reachable',
        response: { 200: healthSchema, ...errorResponses(503) },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(db);
      } catch {
        throw databaseUnavailable();
      }
      return { status: 'ok' as const };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const limits = { ...defaultLimits, ...options.limits };
  describeTokenRoutes(app);
  authRoutes(app, db, auth, limits, settings, config.publicUrl);
  adminRoutes(app, db);
  settingsRoutes(app, db, settings);
  const readerMarks = new ReaderMarksLoader(db, app.log);
  app.decorate('readerMarks', readerMarks);
  forumRoutes(app, db, limits, settings, threadPages, readerMarks, categories);
  const votes = new VoteWriter(db, limits.vote, app.log, () => settings.current);
  ideaRoutes(app, db, votes, categories);
  notificationRoutes(app, db);
  moderationRoutes(app, db, settings, reviewPages);
  trustRoutes(app, db, settings);
  releaseRoutes(app, db, config.publicUrl);
  tokenRoutes(app, db);
  draftRoutes(app, db);
  bookmarkRoutes(app, db);
  const voteWindows = options.voteWindows === false ? null : new VoteWindowClock(db, app.log);
  dashboardRoutes(app, db, config.publicUrl, categories);
  const applications = new ApplicationWriter(db, app.log);
  betaRoutes(app, db, applications);
  searchRoutes(app, db);
  userRoutes(app, db);
  imageRoutes(app, db, options.images);
  uploadRoutes(app, db, options.uploads ?? createUploadStore(config), settings, config.uploadMaxBytes);
  liveRoutes(app, hub, config.allowedOrigins);
  await registerWeb(app, config.webDist);

  app.addHook('onReady', async () => {
    await listener.start();
    for (const cache of caches) cache.resume();
    await settings.reload();
    heldVotes.start();
    fanout?.start();
    voteWindows?.start();
    mail?.start();
  });
  // Runs before the HTTP server closes: sockets get a close frame, then the listener stops.
  app.addHook('preClose', async () => {
    hub.close();
  });
  // After in-flight requests finished: nothing is left in the vote queue.
  app.addHook('onClose', async () => {
    await votes.close();
    await readerMarks.close();
    await applications.close();
    await heldVotes.close();
    await fanout?.stop();
    await voteWindows?.stop();
  });
  app.addHook('onClose', async () => {
    await listener.close();
  });
  app.addHook('onClose', async () => {
    await mail?.stop();
  });
  return app;
}

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok'] } },
  required: ['status'],
} as const;
