import { type Static, Type } from 'typebox';
import { NotificationLevel } from './forum';

/** Set a thread's or a category's level for yourself. */
export const NotificationLevelBody = Type.Object({ level: NotificationLevel }, { additionalProperties: false });
export type NotificationLevelBody = Static<typeof NotificationLevelBody>;

/** The level now in force for the thread (its own row, its category's, or the default). */
export const NotificationLevelResponse = Type.Object({ level: NotificationLevel });
export type NotificationLevelResponse = Static<typeof NotificationLevelResponse>;

/** Your levels of categories: only the ones you chose (the rest are normal). */
export const CategoryLevel = Type.Object({ categoryId: Type.Integer(), level: NotificationLevel });
export type CategoryLevel = Static<typeof CategoryLevel>;
export const CategoryLevels = Type.Object({ items: Type.Array(CategoryLevel) });
export type CategoryLevels = Static<typeof CategoryLevels>;

/** A thread you chose a level for (your watched or muted threads), most recently chosen first. */
export const ThreadLevel = Type.Object({
  threadId: Type.Integer(),
  title: Type.String(),
  categoryId: Type.Integer(),
  level: NotificationLevel,
  updatedAt: Type.String(),
});
export type ThreadLevel = Static<typeof ThreadLevel>;

export const ThreadLevelQuery = Type.Object(
  {
    level: Type.Union([Type.Literal('watching'), Type.Literal('muted')]),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ThreadLevelQuery = Static<typeof ThreadLevelQuery>;
