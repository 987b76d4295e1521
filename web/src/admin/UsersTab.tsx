import { type AdminUser, type Role, roles, type SanctionState, sanctionStates } from '@fanlab/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMe } from '../account/useMe';
import { EmptyState } from '../components/EmptyState';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { uniqueItems } from '../forum/flatten';
import { errorMessage } from '../i18n/errorMessage';
import { MemberModeration } from '../moderation/MemberModeration';
import { adminKeys, useAdminUser, useAdminUsers, useDebounced, useSetRole } from './useAdmin';
import { userFields } from './userFields';

function useWhen() {
  const { i18n } = useTranslation();
  return (iso: string) =>
    new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The Users tab: search and filters, the list, and the chosen user's panel (/admin/users/:id). */
export function UsersTab() {
  const { t } = useTranslation();
  const params = useParams();
  const selected = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null;
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [sanction, setSanction] = useState<SanctionState | ''>('');
  const search = useDebounced(q.trim());
  const list = useAdminUsers({
    ...(search ? { q: search } : {}),
    ...(role ? { role } : {}),
    ...(sanction ? { sanction } : {}),
    limit: 25,
  });
  const users = uniqueItems(list.data?.pages);
  const showsEmail = users.some((u) => u.email !== null);
  const when = useWhen();
  const columns = userFields.filter((f) => f.id !== 'email' || showsEmail);

  return (
    <div className={`admin-users${selected ? ' has-detail' : ''}`}>
      <div className="admin-user-list">
        <form className="admin-filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field field-wide">
            <label htmlFor="admin-user-q">{t('admin.users.search')}</label>
            <input
              id="admin-user-q"
              type="search"
              data-testid="admin-user-search"
              value={q}
              maxLength={254}
              placeholder={showsEmail ? t('admin.users.searchHint') : t('admin.users.searchHintNames')}
              onChange={(e) => setQ(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="admin-user-role">{t('admin.users.role')}</label>
            <select id="admin-user-role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t('admin.users.anyRole')}</option>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="admin-user-sanction">{t('admin.users.sanction')}</label>
            <select
              id="admin-user-sanction"
              value={sanction}
              onChange={(e) => setSanction(e.target.value as SanctionState | '')}
            >
              <option value="">{t('admin.users.anySanction')}</option>
              {sanctionStates.map((s) => (
                <option key={s} value={s}>
                  {t(`admin.users.sanctionStates.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
        {list.isPending ? <Loading /> : null}
        {list.isError && !list.data ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && users.length === 0 ? (
          <EmptyState>
            <p>{t('admin.users.empty')}</p>
          </EmptyState>
        ) : null}
        {users.length > 0 ? (
          <table className="admin-table admin-user-table" data-testid="admin-user-list">
            <thead>
              <tr>
                <th scope="col">{t('admin.users.username')}</th>
                {columns.map((field) => (
                  <th key={field.id} scope="col">
                    {field.label(t)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr
                  key={user.id}
                  data-testid="admin-user-row"
                  data-username={user.username}
                  aria-current={user.id === selected ? 'true' : undefined}
                >
                  <th scope="row">
                    <Link to={`/admin/users/${user.id}`}>{user.username}</Link>
                  </th>
                  {columns.map((field) => (
                    <td key={field.id} data-label={field.label(t)} data-field={field.id}>
                      {field.value(user, t, when)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoad={() => void list.fetchNextPage()}
          label={t('admin.users.loadMore')}
        />
      </div>
      <div className="admin-user-detail">{selected ? <UserDetail id={selected} /> : null}</div>
    </div>
  );
}

/** One user: their fields, a role change (when the server allows it), their standing and notes. */
function UserDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const user = useAdminUser(id);
  const when = useWhen();
  if (user.isPending) return <Loading />;
  if (user.isError) return <LoadError error={user.error} onRetry={() => void user.refetch()} />;
  const u = user.data;
  return (
    <div className="admin-user-panel" data-testid="admin-user-detail" data-user-id={u.id}>
      <p className="admin-back">
        <Link to="/admin/users">← {t('admin.users.back')}</Link>
      </p>
      <section className="card">
        <h2 data-testid="admin-user-name">{u.username}</h2>
        <dl className="details">
          {userFields.map((field) => {
            const value = field.value(u, t, when);
            if (value === null) return null;
            return (
              <div key={field.id} className="details-row" data-field={field.id}>
                <dt>{field.label(t)}</dt>
                <dd data-testid={`admin-user-${field.id}`}>{value}</dd>
              </div>
            );
          })}
        </dl>
        <p className="admin-profile-link">
          <Link to={`/u/${encodeURIComponent(u.username)}`} data-testid="admin-user-profile">
            {t('admin.users.profile')}
          </Link>
        </p>
        {u.canChangeRole ? (
          <RoleForm user={u} key={u.id} />
        ) : me?.id === u.id ? (
          <p className="notice">{t('admin.users.ownRole')}</p>
        ) : null}
      </section>
      {me?.canReview && me.id !== u.id ? (
        <MemberModeration
          userId={u.id}
          onChange={() => void queryClient.invalidateQueries({ queryKey: adminKeys.all })}
        />
      ) : null}
    </div>
  );
}

function RoleForm({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>(user.role);
  const [saved, setSaved] = useState<Role | null>(null);
  const change = useSetRole(user.id);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(role, { onSuccess: (updated) => setSaved(updated.role) });
  };
  return (
    <form className="role-form" data-testid="role-form" onSubmit={onSubmit}>
      <label htmlFor={`role-${user.id}`}>{t('admin.users.changeRole')}</label>
      <div className="role-form-row">
        <select
          id={`role-${user.id}`}
          data-testid="role-select"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button-small"
          data-testid="role-save"
          disabled={change.isPending || role === user.role}
        >
          {change.isPending ? t('admin.users.saving') : t('admin.users.saveRole')}
        </button>
      </div>
      {saved ? (
        <p className="notice" role="status" data-testid="role-saved">
          {t('admin.users.roleSaved', { role: t(`roles.${saved}`) })}
        </p>
      ) : null}
      <FormError message={change.error ? errorMessage(t, change.error) : null} />
    </form>
  );
}
