import type { Draft } from '@fanlab/shared';

export interface DraftRow {
  key: string;
  title: string | null;
  body: string;
  saved_at: Date;
}

export const toDraft = (row: DraftRow): Draft => ({
  key: row.key,
  title: row.title,
  body: row.body,
  savedAt: row.saved_at.toISOString(),
});
