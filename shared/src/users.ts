import { type Static, Type } from 'typebox';
import { TrustLevelSchema } from './trust';

export const roles = ['member', 'moderator', 'product_manager', 'admin'] as const;
export const Role = Type.Union([
  Type.Literal('member'),
  Type.Literal('moderator'),
  Type.Literal('product_manager'),
  Type.Literal('admin'),
]);
export type Role = (typeof roles)[number];

/** Roles that moderate: act on others' content, post in staff-only categories and locked threads. */
export const STAFF_ROLES = ['moderator', 'admin'] as const satisfies readonly Role[];

export const locales = ['en', 'es'] as const;
export const Locale = Type.Union([Type.Literal('en'), Type.Literal('es')]);
export type Locale = (typeof locales)[number];

/** Usernames: 3–20 of letters, digits and underscore; unique ignoring case. */
export const USERNAME_PATTERN = '^[A-Za-z0-9_]{3,20}$';
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const EMAIL_MAX = 254;

export const Username = Type.String({ pattern: USERNAME_PATTERN, minLength: 3, maxLength: 20 });
export const Email = Type.String({
  maxLength: EMAIL_MAX,
  // one @, something on both sides, a dot in the domain, no spaces or control characters
  pattern: '^[^\\s@\\x00-\\x1f]+@[^\\s@\\x00-\\x1f]+\\.[^\\s@\\x00-\\x1f]+$',
});
export const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });

/** The signed-in user as they see themselves. */
export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.String(),
  role: Role,
  locale: Type.Union([Locale, Type.Null()]),
  createdAt: Type.String({ description: 'ISO 8601' }),
  /** Whether others see the day this member was last seen on their profile. */
  showLastSeen: Type.Boolean(),
  /** Silenced (may read, not post, vote or flag) until then, and why; null when not. */
  silencedUntil: Type.Union([Type.String(), Type.Null()]),
  silenceReason: Type.Union([Type.String(), Type.Null()]),
  /** May work the review queue (from the server's policy). */
  canReview: Type.Boolean(),
  /** May set idea statuses, one or many at once: the triage board. */
  canTriage: Type.Boolean(),
  /** May write, publish and delete releases (and see drafts). */
  canPublishReleases: Type.Boolean(),
  /** 0 new … 3 regular: what a new member may not do yet is limited (site settings). */
  trustLevel: TrustLevelSchema,
  /** Their votes are saved but counted only from trust level 1 (site setting newMemberVotesHeld). */
  votesHeld: Type.Boolean(),
  /** May change the site settings. */
  canManageSettings: Type.Boolean(),
  /**
   * The admin screens (`/admin`), one flag per tab, each from the server's policy: the user list
   * (staff), categories and the audit log (admins). Any of them true shows the header's Admin link.
   */
  canSeeUsers: Type.Boolean(),
  canManageCategories: Type.Boolean(),
  canReadAuditLog: Type.Boolean(),
  /** May hold personal API tokens (account page: API tokens). */
  canUseApiTokens: Type.Boolean(),
  /** Open the product managers' dashboard of top requests and export it. */
  canSeeDashboard: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const MeResponse = Type.Object({ user: Type.Union([Me, Type.Null()]) });
export type MeResponse = Static<typeof MeResponse>;

export const UpdateMeBody = Type.Object(
  { locale: Type.Optional(Type.Union([Locale, Type.Null()])), showLastSeen: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const SignUpBody = Type.Object(
  {
    username: Username,
    email: Email,
    password: Password,
    next: Type.Optional(Type.String({ maxLength: 2000, description: 'Path to open after the address is confirmed' })),
  },
  { additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

/**
 * The answer to every accepted sign-up, whether or not the address has an account (that is told
 * only to the address, by mail): no one learns from it which addresses are registered.
 */
export const SignUpResponse = Type.Object({ status: Type.Literal('confirmation_sent') });
export type SignUpResponse = Static<typeof SignUpResponse>;

export const ConfirmSignUpBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'From the link in the confirmation mail' }),
    /** Another username, if the one signed up with was taken meanwhile. */
    username: Type.Optional(Username),
  },
  { additionalProperties: false },
);
export type ConfirmSignUpBody = Static<typeof ConfirmSignUpBody>;

export const ConfirmSignUpResponse = Type.Object({
  user: Me,
  next: Type.Union([Type.String(), Type.Null()], { description: 'Path given at sign-up, if any' }),
});
export type ConfirmSignUpResponse = Static<typeof ConfirmSignUpResponse>;

export const SignInBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: EMAIL_MAX, description: 'Username or email' }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

/** A user as staff see them in the admin list and its detail panel. */
export const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  /** Admins only (manageUsers); null for moderators. */
  email: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  createdAt: Type.String(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  /** A silence or suspension in force, until then; null when none is. */
  silencedUntil: Type.Union([Type.String(), Type.Null()]),
  suspendedUntil: Type.Union([Type.String(), Type.Null()]),
  /** The reader may change this user's role (an admin, and not their own). */
  canChangeRole: Type.Boolean(),
  trustLevel: TrustLevelSchema,
  /** Staff fixed the level: the rules no longer move it. */
  trustLevelLocked: Type.Boolean(),
});
export type AdminUser = Static<typeof AdminUser>;

/** The user list's filters: sanctions in force (`any`: silenced or suspended). */
export const sanctionStates = ['silenced', 'suspended', 'any', 'none'] as const;
export type SanctionState = (typeof sanctionStates)[number];

export const AdminUserQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  q: Type.Optional(
    Type.String({ maxLength: 254, description: 'Username prefix; email prefix too for those who see emails' }),
  ),
  role: Type.Optional(Role),
  sanction: Type.Optional(
    Type.Union([Type.Literal('silenced'), Type.Literal('suspended'), Type.Literal('any'), Type.Literal('none')]),
  ),
});
export type AdminUserQuery = Static<typeof AdminUserQuery>;

export const SetRoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export type SetRoleBody = Static<typeof SetRoleBody>;
