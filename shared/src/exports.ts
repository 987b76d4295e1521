import { type Static, Type } from 'typebox';

/** Streamed exports: CSV (RFC 4180, formula-safe), JSON Lines, or one JSON array. */
export const ExportFormats = ['csv', 'jsonl', 'json'] as const;
export type ExportFormat = (typeof ExportFormats)[number];

export const ExportQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('csv'), Type.Literal('jsonl'), Type.Literal('json')], { default: 'csv' }),
  ),
  /** CSV only: start with a UTF-8 byte order mark, so Excel reads accents and Chinese right. */
  bom: Type.Optional(Type.Boolean()),
});
export type ExportQuery = Static<typeof ExportQuery>;

/** The columns of an idea's voter list export, in order. */
export const VOTER_EXPORT_COLUMNS = [
  'username',
  'voted_at',
  'trust_level',
  'language',
  'role',
  'via_merge_of',
] as const;
