import { type Category, ErrorCodes } from '@fanlab/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createCategory, deleteCategory, reorderCategories, updateCategory } from '../api/admin';
import { ApiError } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { CategoryBadge } from '../forum/CategoryBadge';
import { categoryTree } from '../forum/categoryTree';
import { forumKeys } from '../forum/queryKeys';
import { useCategories } from '../forum/useCategories';
import { errorMessage } from '../i18n/errorMessage';
import { type CategoryFields, CategoryForm } from './CategoryForm';

/** What the tab has open: a form for a new category (under a parent, or top level) or an edit. */
type Open =
  | { kind: 'new'; parentId: number | null }
  | { kind: 'edit'; id: number }
  | { kind: 'delete'; id: number }
  | null;

/** `ids` with the one at `index` swapped with its neighbour in `direction`. */
export function moved(ids: readonly number[], index: number, direction: -1 | 1): number[] {
  const next = [...ids];
  const other = index + direction;
  if (other < 0 || other >= next.length) return next;
  [next[index], next[other]] = [next[other] as number, next[index] as number];
  return next;
}

/** The Categories tab: the tree in its order; create, edit, move up and down, delete. */
export function CategoriesTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [open, setOpen] = useState<Open>(null);
  const reload = () => queryClient.invalidateQueries({ queryKey: forumKeys.categories });
  const done = async () => {
    await reload();
    setOpen(null);
  };
  const create = useMutation({ mutationFn: createCategory, onSuccess: done });
  const update = useMutation({
    mutationFn: ({ id, fields }: { id: number; fields: CategoryFields }) => updateCategory(id, fields),
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: deleteCategory, onSuccess: done });
  const reorder = useMutation({
    mutationFn: reorderCategories,
    onSuccess: () => reload(),
    // someone changed the siblings meanwhile: show the list as it is now
    onError: (error) => {
      if (error instanceof ApiError && error.code === ErrorCodes.categoryOrderStale) void reload();
    },
  });

  if (categories.isPending) return <Loading />;
  if (categories.isError) return <LoadError error={categories.error} onRetry={() => void categories.refetch()} />;
  const tree = categoryTree(categories.data);
  const parents = tree.map((node) => node.category);

  const openForm = (next: Open) => {
    create.reset();
    update.reset();
    remove.reset();
    setOpen(next);
  };
  const form = (heading: string, props: { category?: Category; parentId?: number | null; hasChildren?: boolean }) => {
    const editing = props.category;
    return (
      <CategoryForm
        {...props}
        heading={heading}
        parents={parents}
        pending={editing ? update.isPending : create.isPending}
        error={editing ? update.error : create.error}
        onCancel={() => setOpen(null)}
        onSubmit={(fields) => (editing ? update.mutate({ id: editing.id, fields }) : create.mutate(fields))}
      />
    );
  };

  const row = (category: Category, siblings: readonly Category[], index: number, hasChildren: boolean) => {
    const ids = siblings.map((s) => s.id);
    const move = (direction: -1 | 1) =>
      reorder.mutate({ parentId: category.parentId, order: moved(ids, index, direction) });
    return (
      <div className="category-admin-row" data-testid="category-admin-row" data-slug={category.slug}>
        <div className="category-admin-name">
          <CategoryBadge category={category} />
          <span className="muted category-admin-meta">
            /c/{category.slug} · {category.locale ?? t('admin.categories.allLanguages')} ·{' '}
            {t('admin.categories.threads', { count: category.threadCount })}
          </span>
        </div>
        <div className="category-admin-actions">
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="category-up"
            aria-label={t('admin.categories.moveUp', { name: category.name })}
            disabled={index === 0 || reorder.isPending}
            onClick={() => move(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="category-down"
            aria-label={t('admin.categories.moveDown', { name: category.name })}
            disabled={index === siblings.length - 1 || reorder.isPending}
            onClick={() => move(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="category-edit"
            onClick={() => openForm({ kind: 'edit', id: category.id })}
          >
            {t('admin.categories.edit')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="category-delete"
            disabled={hasChildren}
            onClick={() => openForm({ kind: 'delete', id: category.id })}
          >
            {t('admin.categories.delete')}
          </button>
        </div>
        {open?.kind === 'edit' && open.id === category.id
          ? form(t('admin.categories.formEdit', { name: category.name }), { category, hasChildren })
          : null}
        {open?.kind === 'delete' && open.id === category.id ? (
          <div className="category-delete card" role="alertdialog" aria-label={t('admin.categories.delete')}>
            <p>{t('admin.categories.confirmDelete', { name: category.name })}</p>
            <FormError message={remove.error ? errorMessage(t, remove.error) : null} />
            <p className="actions">
              <button
                type="button"
                className="button button-small button-danger"
                data-testid="category-delete-confirm"
                disabled={remove.isPending}
                onClick={() => remove.mutate(category.id)}
              >
                {t('admin.categories.confirm')}
              </button>
              <button type="button" className="button button-small button-secondary" onClick={() => setOpen(null)}>
                {t('admin.categories.cancel')}
              </button>
            </p>
          </div>
        ) : null}
      </div>
    );
  };

  return (
    <div className="admin-categories">
      <p className="actions">
        <button
          type="button"
          className="button button-small"
          data-testid="category-new"
          onClick={() => openForm({ kind: 'new', parentId: null })}
        >
          {t('admin.categories.new')}
        </button>
      </p>
      {open?.kind === 'new' && open.parentId === null ? form(t('admin.categories.formNew'), { parentId: null }) : null}
      <FormError message={reorder.error ? errorMessage(t, reorder.error) : null} />
      {tree.length === 0 ? (
        <EmptyState>
          <p>{t('admin.categories.empty')}</p>
        </EmptyState>
      ) : (
        <ol className="category-admin-tree" data-testid="category-admin-tree">
          {tree.map((node, index) => (
            <li key={node.category.id} className="category-admin-node">
              {row(node.category, parents, index, node.children.length > 0)}
              <ol className="category-admin-children">
                {node.children.map((child, childIndex) => (
                  <li key={child.id} className="category-admin-child">
                    {row(child, node.children, childIndex, false)}
                  </li>
                ))}
                <li className="category-admin-child">
                  {open?.kind === 'new' && open.parentId === node.category.id ? (
                    form(t('admin.categories.formNewChild', { parent: node.category.name }), {
                      parentId: node.category.id,
                    })
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      data-testid="category-add-child"
                      onClick={() => openForm({ kind: 'new', parentId: node.category.id })}
                    >
                      + {t('admin.categories.addChild')}
                    </button>
                  )}
                </li>
              </ol>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
