import { createHash } from 'node:crypto';
import {
  ChangePasswordBody,
  ConfirmSignUpBody,
  ConfirmSignUpResponse,
  ErrorCodes,
  MeResponse,
  SignInBody,
  SignUpBody,
  SignUpResponse,
  UpdateMeBody,
} from '@fanlab/shared';
import type { FastifyReply } from 'fastify';
import { generateIdFromEntropySize, type Session, type User } from 'lucia';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { AppError, errorResponses } from '../http/errors';
import { consume, type Limit } from '../http/rate-limit';
import type { SiteSettingsStore } from '../settings/store';
import { authenticateBearer } from '../tokens/bearer';
import { countVisit } from '../trust/actions';
import {
  authenticate,
  endAllSessions,
  endSession,
  hashNewPassword,
  recordLastSeen,
  setPassword,
  updatePreferences,
} from './actions';
import { isSuspended, requireUser } from './policy';
import { toMe } from './present';
import type { SessionCache } from './session-cache';
import { type Auth, sessionKey } from './sessions';
import { beforeSignIn, type SignInLimits, signInFailed } from './sign-in-limits';
import { confirmSignUp, draftSignUp, requestSignUp } from './sign-up';

/** Rate limits not among the site settings (sign-ups per IP are one). */
export interface AuthLimits {
  /** Sign-ups (so mails) per email address: nobody floods an inbox through us. */
  signUpPerAddress: Limit;
  /** Confirmation attempts per IP. */
  confirmSignUpPerIp: Limit;
  signIn: SignInLimits;
  /** Password changes (each checks the current password) per account. */
  passwordChange: Limit;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    session: Session | null;
  }
}

/** last_seen_at is written at most this often per user, never per request. */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/**
 * Reads the session cookie on every request. Anonymous requests cost no query; signed-in ones
 * cost one (session joined with its user) unless this process has the session in its cache
 * (session-cache.ts), and then none.
 */
export function sessionHook(app: App, db: Db, auth: Auth, settings: SiteSettingsStore, sessions: SessionCache) {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('apiToken', null);
  app.addHook('onRequest', async (request, reply) => {
    // A request that carries credentials in Authorization is authenticated by them alone, never
    // by a cookie beside them (tokens/bearer.ts).
    const authorization = request.headers.authorization;
    if (authorization !== undefined && request.url.startsWith('/api/')) {
      await authenticateBearer(db, request, authorization, sessions);
      return;
    }
    const cookie = request.headers.cookie;
    if (!cookie) return;
    const sessionId = auth.readSessionCookie(cookie);
    if (!sessionId) return;
    const cached = sessions.lookup(sessionId);
    let session: Session | null;
    let user: User | null;
    if (cached) ({ session, user } = cached);
    else {
      const read = sessions.begin();
      ({ session, user } = await auth.validateSession(sessionId));
      if (session && user && !session.fresh && !isSuspended(user)) sessions.store(read, session, user);
    }
    if (!session || !user) {
      reply.header('set-cookie', auth.createBlankSessionCookie().serialize());
      return;
    }
    if (isSuspended(user)) {
      await withTx(db, (tx) => endAllSessions(tx, user.id));
      reply.header('set-cookie', auth.createBlankSessionCookie().serialize());
      return;
    }
    if (session.fresh) reply.header('set-cookie', auth.createSessionCookie(session.id).serialize());
    request.user = user;
    request.session = session;
    if (!user.last_seen_at || Date.now() - user.last_seen_at.getTime() > LAST_SEEN_EVERY_MS) {
      const seen = user;
      // once per process however many requests are in flight: the cached account shows the new time
      // only once the change is heard
      seen.last_seen_at = new Date();
      void withTx(db, async (tx) => {
        await countVisit(tx, seen.id, settings.current);
        await recordLastSeen(tx, seen.id);
      }).catch((err) => request.log.warn({ err }, 'could not record last seen'));
    }
  });
  // A member's own change to their sessions or account (sign-out, password, preferences, tokens)
  // shows at once in this process; other processes hear of it from the database (session-cache.ts).
  app.addHook('onResponse', async (request, reply) => {
    if (request.user && request.method !== 'GET' && reply.statusCode < 400 && OWN_ACCOUNT.test(request.url)) {
      sessions.dropUser(request.user.id);
    }
  });
}

/** Routes where members change their own sessions or account. */
const OWN_ACCOUNT = /^\/api\/(auth|me)\//;

export function authRoutes(
  app: App,
  db: Db,
  auth: Auth,
  limits: AuthLimits,
  settings: SiteSettingsStore,
  publicUrl: string,
) {
  const startSession = async (reply: FastifyReply, userId: number, sessionId?: string) => {
    const session = await auth.createSession(userId, {}, sessionId ? { sessionId } : undefined);
    reply.header('set-cookie', auth.createSessionCookie(session.id).serialize());
  };
  const tags = ['auth'];

  app.post(
    '/api/auth/sign-up',
    {
      schema: {
        tags,
        summary: 'Sign up: mails a confirmation link to the address (the account is created when it is opened)',
        description:
          'Answers 202 whether or not the address has an account: an address that has one is told so by ' +
          'mail instead. A taken username is answered at once (409), since usernames are public.',
        body: SignUpBody,
        response: { 202: SignUpResponse, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await consume(db, `sign-up:ip:${request.ip}`, settings.current.signUpsPerIp);
      const address = createHash('sha256').update(request.body.email.toLowerCase()).digest('hex');
      await consume(db, `sign-up:address:${address}`, limits.signUpPerAddress);
      const draft = await draftSignUp(db, request.body); // argon2: before the transaction
      await withTx(db, (tx) => requestSignUp(tx, draft, publicUrl));
      return reply.code(202).send({ status: 'confirmation_sent' as const });
    },
  );

  app.post(
    '/api/auth/sign-up/confirm',
    {
      schema: {
        tags,
        summary: 'Create the account from the link in the confirmation mail, and sign in',
        body: ConfirmSignUpBody,
        response: { 201: ConfirmSignUpResponse, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await consume(db, `sign-up-confirm:ip:${request.ip}`, limits.confirmSignUpPerIp);
      const { user, next } = await withTx(db, (tx) => confirmSignUp(tx, request.body.token, request.body.username));
      const previous = request.session;
      const previousUser = request.user;
      if (previous && previousUser) await withTx(db, (tx) => endSession(tx, previousUser.id, previous.id));
      await startSession(reply, user.id);
      request.log.info({ userId: user.id }, 'account created');
      return reply.code(201).send({ user: toMe(user, settings.current), next });
    },
  );

  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags,
        summary: 'Sign in with username or email and password (starts a new session)',
        body: SignInBody,
        response: { 200: MeResponse, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { login, password } = request.body;
      await beforeSignIn(db, limits.signIn, request.ip, login);
      const user = await authenticate(db, login, password).catch(async (err: unknown) => {
        if (err instanceof AppError && err.code === ErrorCodes.invalidCredentials) {
          await signInFailed(db, limits.signIn, request.ip, login);
        }
        throw err;
      });
      // Never keep a session id across sign-in (fixation): the old one ends, a new one starts.
      const previous = request.session;
      const previousUser = request.user;
      if (previous && previousUser) {
        await withTx(db, (tx) => endSession(tx, previousUser.id, previous.id));
      }
      await startSession(reply, user.id);
      return { user: toMe(user, settings.current) };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags, summary: 'End this session', response: { 204: { type: 'null' }, ...errorResponses(403) } } },
    async (request, reply) => {
      const { session, user } = request;
      // The session's open sockets close too, on every server process.
      if (session && user) await withTx(db, (tx) => endSession(tx, user.id, session.id));
      return reply.header('set-cookie', auth.createBlankSessionCookie().serialize()).code(204).send(null);
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    {
      schema: {
        tags,
        summary: 'End every session of this account, on every device',
        response: { 204: { type: 'null' }, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => endAllSessions(tx, user.id));
      return reply.header('set-cookie', auth.createBlankSessionCookie().serialize()).code(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Change the password; every other session ends, this one is renewed',
        body: ChangePasswordBody,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await consume(db, `password:user:${user.id}`, limits.passwordChange);
      // This device continues under a new session id; its open sockets stay, every other session ends.
      const nextSessionId = generateIdFromEntropySize(25);
      const handover = request.session
        ? { from: sessionKey(request.session.id), to: sessionKey(nextSessionId) }
        : undefined;
      const passwordHash = await hashNewPassword(db, user.id, request.body.currentPassword, request.body.newPassword);
      await withTx(db, (tx) => setPassword(tx, user.id, passwordHash, handover));
      await startSession(reply, user.id, nextSessionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags, summary: 'The signed-in user, or null', response: { 200: MeResponse } } },
    async (request) => ({ user: request.user ? toMe(request.user, settings.current) : null }),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags,
        summary: 'Update your preferences (language, whether others see the day you were last seen)',
        body: UpdateMeBody,
        response: { 200: MeResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const me = requireUser(request);
      const { locale, showLastSeen } = request.body;
      const user = await withTx(db, (tx) => updatePreferences(tx, me.id, { locale, showLastSeen }));
      return { user: toMe(user, settings.current) };
    },
  );
}
