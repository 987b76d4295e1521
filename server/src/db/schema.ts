import type {
  AuditAction,
  AuditTarget,
  BetaApplicationStatus,
  BetaMode,
  BetaProgramState,
  BetaQuizInput,
  FlagReason,
  HoldReason,
  IdeaStatus,
  Locale,
  ReleaseChannel,
  ReleaseState,
  ReviewableStatus,
  ReviewableType,
  Role,
  TrustLevel,
} from '@fanlab/shared';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps come back as Date; they may be written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint identity columns (parsed as JS numbers, see db/connect.ts). */
type Id = ColumnType<number, never, never>;

export interface UsersTable {
  id: Id;
  username: string;
  email: string;
  password_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  locale: Locale | null;
  created_at: DefaultedTimestamp;
  last_seen_at: Timestamp | null;
  show_last_seen: ColumnType<boolean, boolean | undefined, boolean>;
  password_changed_at: DefaultedTimestamp;
  silenced_until: Timestamp | null;
  suspended_until: Timestamp | null;
  /** This member's flags that moderators agreed and disagreed with (their flags' weight). */
  flags_agreed: ColumnType<number, number | undefined, number>;
  flags_disagreed: ColumnType<number, number | undefined, number>;
  silence_reason: string | null;
  suspend_reason: string | null;
  trust_level: ColumnType<TrustLevel, TrustLevel | undefined, TrustLevel>;
  /** Staff set the level by hand: the rules no longer move it. */
  trust_level_locked: ColumnType<boolean, boolean | undefined, boolean>;
  days_visited: ColumnType<number, number | undefined, number>;
  threads_entered: ColumnType<number, number | undefined, number>;
  posts_read: ColumnType<number, number | undefined, number>;
  read_seconds: ColumnType<number, number | undefined, number>;
  last_read_at: Timestamp | null;
  likes_given: ColumnType<number, number | undefined, number>;
  likes_received: ColumnType<number, number | undefined, number>;
  replies_posted: ColumnType<number, number | undefined, number>;
}

export interface SiteSettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: DefaultedTimestamp;
  updated_by: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: DefaultedTimestamp;
}

/** A personal API token (migration 0022): only the secret's SHA-256 is kept. */
export interface DraftsTable {
  user_id: number;
  key: string;
  title: string | null;
  body: string;
  saved_at: DefaultedTimestamp;
}

/** A member's bookmarked post (migration 0035). */
export interface BookmarksTable {
  user_id: number;
  post_id: number;
  created_at: DefaultedTimestamp;
}

/** A member's notification level for a thread or a category (migration 0036). */
export type NotificationLevel = 'watching' | 'tracking' | 'normal' | 'muted';
export interface ThreadNotificationLevelsTable {
  user_id: number;
  thread_id: number;
  level: NotificationLevel;
  updated_at: DefaultedTimestamp;
}
export interface CategoryNotificationLevelsTable {
  user_id: number;
  category_id: number;
  level: NotificationLevel;
  updated_at: DefaultedTimestamp;
}

/** A member's uploaded image (migration 0037); the file is `key` in the upload store. */
export interface UploadsTable {
  id: Generated<number>;
  user_id: number;
  /** null while the image is being re-encoded (the row holds the member's quota meanwhile). */
  key: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  created_at: DefaultedTimestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  secret_hash: string;
  prefix: string;
  scopes: string[];
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RateLimitsTable {
  key: string;
  window_ends_at: Timestamp;
  hits: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: AuditAction;
  target_type: AuditTarget;
  target_id: number | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultedTimestamp;
}

export type WhoCanStart = 'everyone' | 'staff';
export type ThreadKind = 'discussion' | 'idea';

export interface CategoriesTable {
  id: Id;
  parent_id: number | null;
  slug: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  color: ColumnType<string, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
  locale: string | null;
  allow_discussions: ColumnType<boolean, boolean | undefined, boolean>;
  allow_ideas: ColumnType<boolean, boolean | undefined, boolean>;
  who_can_start: ColumnType<WhoCanStart, WhoCanStart | undefined, WhoCanStart>;
  thread_count: ColumnType<number, never, number>;
  vote_budget: number | null;
  created_at: DefaultedTimestamp;
}

export interface ThreadsTable {
  id: Id;
  category_id: number;
  kind: ColumnType<ThreadKind, ThreadKind | undefined, ThreadKind>;
  title: string;
  author_id: number;
  created_at: DefaultedTimestamp;
  bumped_at: DefaultedTimestamp;
  last_poster_id: number;
  highest_post_number: ColumnType<number, number | undefined, number>;
  post_count: ColumnType<number, number | undefined, number>;
  like_count: ColumnType<number, number | undefined, number>;
  pinned_at: Timestamp | null;
  /** The pin ends then (maintenance unpins); null: until unpinned. */
  pinned_until: Timestamp | null;
  locked_at: Timestamp | null;
  unlisted: ColumnType<boolean, boolean | undefined, boolean>;
  deleted_at: Timestamp | null;
  deleted_by: number | null;
  title_vector: ColumnType<string, never, never>;
  /** Its first post is hidden by flags: out of every list until a moderator decides. */
  hidden_at: Timestamp | null;
  status: ColumnType<IdeaStatus, IdeaStatus | undefined, IdeaStatus>;
  vote_count: ColumnType<number, number | undefined, number>;
  vote_version: ColumnType<number, number | undefined, number>;
  official_response_raw: string | null;
  official_response_cooked: string | null;
  official_response_at: Timestamp | null;
  status_changed_at: Timestamp | null;
  merged_into_id: number | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
}

/** Where each dashboard window starts now (migration 0024; ideas/windows.ts moves them). */
export interface VoteWindowsTable {
  days: number;
  starts_at: Timestamp;
}

/**
 * Per idea, its votes' sort keys, kept by the trigger on idea_votes: standing votes cast since
 * each window's start, all of them (`votes`, equal to `threads.vote_count`) and the trending
 * score (migration 0032: the counters' indexes live here, so the threads row's update is HOT).
 */
export interface IdeaRecentVotesTable {
  idea_id: number;
  d7: ColumnType<number, number | undefined, number>;
  d30: ColumnType<number, number | undefined, number>;
  d90: ColumnType<number, number | undefined, number>;
  d365: ColumnType<number, number | undefined, number>;
  votes: ColumnType<number, number | undefined, number>;
  /** Σ 2^((voted_at − epoch) / 72 h) over the idea's votes (ideas/trending.ts). */
  trending: ColumnType<number, number | undefined, number>;
}

/** Per idea and UTC month, its days' standing votes (migration 0027; kept by the triggers on idea_votes). */
export interface IdeaVoteMonthsTable {
  idea_id: number;
  /** YYYY-MM-01 */
  month: ColumnType<string, string, string>;
  /** days[d - 1]: standing votes cast on day d of the month (UTC) */
  days: number[];
}

/** A weekly digest sent (migration 0026): the week's Monday claims it once. */
export interface DashboardDigestsTable {
  week: string;
  idea_ids: number[];
  recipients: number;
  created_at: DefaultedTimestamp;
}

export interface IdeaVotesTable {
  idea_id: number;
  user_id: number;
  created_at: DefaultedTimestamp;
  /** The merge that put this vote here (null: cast here by the voter). */
  merge_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A new member's vote, not counted until they reach trust level 1 (migration 0019). */
export interface HeldVotesTable {
  idea_id: number;
  user_id: number;
  created_at: DefaultedTimestamp;
}

export interface IdeaStatusChangesTable {
  id: Generated<number>;
  idea_id: number;
  from_status: IdeaStatus | null;
  to_status: IdeaStatus;
  response_cooked: ColumnType<string, string | undefined, string>;
  actor_id: number | null;
  created_at: DefaultedTimestamp;
  /** The release whose publication made the change. */
  release_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface IdeaMergesTable {
  id: Generated<number>;
  from_id: number;
  to_id: number;
  from_status: IdeaStatus;
  /** The merged idea's votes as they were: times to the microsecond, and the merge that had put each there. */
  from_votes: ColumnType<{ user_id: number; created_at: string; merge_id?: number | null }[], string, string>;
  added_voter_ids: number[];
  merged_by: number | null;
  merged_at: DefaultedTimestamp;
  unmerged_at: Timestamp | null;
}

export interface PostsTable {
  id: Id;
  thread_id: number;
  post_number: number;
  author_id: number;
  reply_to_post_number: number | null;
  raw: string;
  cooked: string;
  created_at: DefaultedTimestamp;
  edited_at: Timestamp | null;
  revision: ColumnType<number, number | undefined, number>;
  like_count: ColumnType<number, number | undefined, number>;
  deleted_at: Timestamp | null;
  deleted_by: number | null;
  body_vector: ColumnType<string, never, never>;
  /** Plain text, at most 300 characters, kept by PostgreSQL from `cooked` (migration 0017). */
  excerpt: ColumnType<string, never, never>;
  /** Hidden by flags until a moderator decides (moderation/). */
  hidden_at: Timestamp | null;
  hidden_reason: FlagReason | null;
  /** Null while the flags wait for review; the moderator who agreed with them after. */
  hidden_by: number | null;
}

export interface PostRevisionsTable {
  id: Generated<number>;
  post_id: number;
  revision: number;
  raw: string;
  title: string | null;
  editor_id: number;
  created_at: DefaultedTimestamp;
}

export interface PostLikesTable {
  post_id: number;
  user_id: number;
  created_at: DefaultedTimestamp;
}

export interface ThreadReadsTable {
  user_id: number;
  thread_id: number;
  last_read_post_number: number;
  updated_at: DefaultedTimestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  thread_id: number | null;
  post_id: number | null;
  actor_id: number | null;
  actor_count: ColumnType<number, number | undefined, number>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  seq: ColumnType<number, never, number>;
  read_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ExternalImagesTable {
  url_hash: string;
  url: string;
  status: ColumnType<'pending' | 'ok' | 'failed', 'pending' | 'ok' | 'failed' | undefined, 'pending' | 'ok' | 'failed'>;
  content_type: string | null;
  bytes: Buffer | null;
  etag: string | null;
  error: string | null;
  first_seen_at: DefaultedTimestamp;
  last_used_at: DefaultedTimestamp;
  fetched_at: Timestamp | null;
}

export interface MailOutboxTable {
  id: Id;
  to_address: string;
  /** Which template made it (a MailTemplate name): for the record once the bodies are cleared. */
  template: string;
  subject: string;
  /** Cleared once sent: they may hold sign-in links. */
  text_body: string | null;
  html_body: string | null;
  /** Left part of the Message-ID, fixed when queued: a retry after an unclear failure carries the same one. */
  message_id: string;
  created_at: DefaultedTimestamp;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: DefaultedTimestamp;
  last_error: string | null;
  sent_at: Timestamp | null;
  failed_at: Timestamp | null;
}

export interface PendingSignupsTable {
  id: Id;
  username: string;
  email: string;
  password_hash: string;
  /** sha256 of the link's token: the token itself is only in the mail. */
  token_hash: string;
  next_path: string | null;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export interface ReviewablesTable {
  id: Id;
  type: ReviewableType;
  /** flagged_post: the post; queued_post: null until approved, then the post it became. */
  post_id: number | null;
  /** The thread (null: a held new thread not approved yet). */
  thread_id: number | null;
  /** queued_post: the held post. */
  queued_post_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** beta_application: the application. */
  beta_application_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Where its thread lives (null: that category was deleted, after the item was decided). */
  category_id: number | null;
  target_author_id: number;
  status: ColumnType<ReviewableStatus, ReviewableStatus | undefined, ReviewableStatus>;
  score: ColumnType<number, number | undefined, number>;
  flag_count: ColumnType<number, number | undefined, number>;
  /** flagged_post: the flags' weightiest reason; queued_post: why it is held; beta_application: itself. */
  top_reason: FlagReason | HoldReason | 'beta_application';
  /** Per reason: how many flags and how much weight (kept with every flag). */
  reasons: ColumnType<Partial<Record<FlagReason, { count: number; weight: number }>>, string | undefined, string>;
  claimed_by: number | null;
  claimed_at: Timestamp | null;
  deferred_until: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
}

export interface FlagsTable {
  id: Id;
  reviewable_id: number;
  post_id: number;
  user_id: number;
  reason: FlagReason;
  message: string | null;
  duplicate_of: number | null;
  weight: number;
  status: ColumnType<ReviewableStatus, ReviewableStatus | undefined, ReviewableStatus>;
  created_at: DefaultedTimestamp;
}

export interface ReviewableHistoryTable {
  id: Id;
  reviewable_id: number;
  actor_id: number | null;
  action: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultedTimestamp;
}

export type QueuedPostStatus = 'pending' | 'approved' | 'rejected';

export interface ReleasesTable {
  id: Id;
  version: string;
  channel: ReleaseChannel;
  /** YYYY-MM-DD (date columns are read as text: db/connect.ts). */
  release_date: string;
  notes_raw: ColumnType<string, string | undefined, string>;
  notes_cooked: ColumnType<string, string | undefined, string>;
  state: ColumnType<ReleaseState, ReleaseState | undefined, ReleaseState>;
  created_by: number | null;
  published_by: number | null;
  published_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}
export type ReleaseRow = Selectable<ReleasesTable>;

export interface ReleaseIdeasTable {
  release_id: number;
  idea_id: number;
  added_at: DefaultedTimestamp;
}

/** A release announcement being delivered: everyone with a user id above the cursor is still to be told. */
export interface ReleaseFanoutsTable {
  id: Id;
  release_id: number;
  idea_ids: number[];
  actor_id: number | null;
  after_user_id: ColumnType<number, number | undefined, number>;
  /** This row tells the people with user_id % parts = part (migration 0023). */
  part: ColumnType<number, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
  notified: ColumnType<number, number | undefined, number>;
  chunks: ColumnType<number, number | undefined, number>;
  created_at: DefaultedTimestamp;
  done_at: Timestamp | null;
}

export interface QueuedPostsTable {
  id: Id;
  author_id: number;
  kind: 'reply' | 'thread';
  /** reply: its thread. */
  thread_id: number | null;
  /** null: the category was deleted after the held post was decided. */
  category_id: number | null;
  /** thread: its title and kind. */
  title: string | null;
  thread_kind: ThreadKind | null;
  raw: string;
  cooked: string;
  reply_to_post_number: number | null;
  reason: HoldReason;
  status: ColumnType<QueuedPostStatus, QueuedPostStatus | undefined, QueuedPostStatus>;
  created_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
  /** The post it became once approved. */
  post_id: number | null;
}

export interface StaffNotesTable {
  id: Id;
  user_id: number;
  author_id: number;
  body: string;
  created_at: DefaultedTimestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  drafts: DraftsTable;
  bookmarks: BookmarksTable;
  thread_notification_levels: ThreadNotificationLevelsTable;
  category_notification_levels: CategoryNotificationLevelsTable;
  uploads: UploadsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  categories: CategoriesTable;
  threads: ThreadsTable;
  trending_epoch: { id: Generated<boolean>; epoch: Date };
  posts: PostsTable;
  post_revisions: PostRevisionsTable;
  post_likes: PostLikesTable;
  thread_reads: ThreadReadsTable;
  notifications: NotificationsTable;
  idea_votes: IdeaVotesTable;
  held_votes: HeldVotesTable;
  idea_status_changes: IdeaStatusChangesTable;
  idea_merges: IdeaMergesTable;
  external_images: ExternalImagesTable;
  mail_outbox: MailOutboxTable;
  pending_signups: PendingSignupsTable;
  reviewables: ReviewablesTable;
  flags: FlagsTable;
  reviewable_history: ReviewableHistoryTable;
  staff_notes: StaffNotesTable;
  site_settings: SiteSettingsTable;
  queued_posts: QueuedPostsTable;
  releases: ReleasesTable;
  release_ideas: ReleaseIdeasTable;
  release_fanouts: ReleaseFanoutsTable;
  vote_windows: VoteWindowsTable;
  idea_recent_votes: IdeaRecentVotesTable;
  idea_vote_months: IdeaVoteMonthsTable;
  dashboard_digests: DashboardDigestsTable;
  beta_programs: BetaProgramsTable;
  beta_program_devices: BetaProgramDevicesTable;
  beta_applications: BetaApplicationsTable;
}

/** A beta program (migrations/0020): its seat counts move only under a lock of this row. */
export interface BetaProgramsTable {
  id: Id;
  slug: string;
  name: string;
  category_id: number;
  description: string;
  description_cooked: string;
  terms: string;
  seats: number;
  accepted_count: ColumnType<number, number | undefined, number>;
  regions: ColumnType<string[], string[] | undefined, string[]>;
  min_account_age_days: number;
  min_trust_level: TrustLevel;
  quiz: ColumnType<BetaQuizInput | null, string | null, string | null>;
  mode: BetaMode;
  state: ColumnType<BetaProgramState, BetaProgramState | undefined, BetaProgramState>;
  opens_at: Timestamp | null;
  closes_at: Timestamp | null;
  feedback_category_id: number | null;
  /** The next tester's number: only ever goes up. */
  next_tester_number: ColumnType<number, number | undefined, number>;
  /** The last waitlist sequence given (a waitlisted application's place in line). */
  waitlist_seq: ColumnType<number, number | undefined, number>;
  /** The `beta:<id>` channel's cursor: up by one with every change of seats or waitlist. */
  seats_version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface BetaProgramDevicesTable {
  program_id: number;
  model: string;
  quota: number | null;
  accepted_count: ColumnType<number, number | undefined, number>;
  position: number;
}

export interface BetaApplicationsTable {
  id: Id;
  program_id: number;
  user_id: number;
  device_model: string;
  region: string;
  quiz_answers: number[] | null;
  quiz_score: number | null;
  status: BetaApplicationStatus;
  tester_number: number | null;
  waitlist_seq: number | null;
  reason: string | null;
  consented_at: Timestamp;
  applied_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
}

export type UserRow = Selectable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewUser = Insertable<UsersTable>;
export type CategoryRow = Selectable<CategoriesTable>;
export type BetaProgramRow = Selectable<BetaProgramsTable>;
export type BetaProgramDeviceRow = Selectable<BetaProgramDevicesTable>;
export type BetaApplicationRow = Selectable<BetaApplicationsTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type PostRow = Selectable<PostsTable>;
