import { type CreatedToken, TOKEN_MAX_DAYS, type TokenScope, TokenScopes } from '@fanlab/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createToken, listTokens, revokeToken } from '../api/tokens';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { TextField } from '../components/TextField';
import { errorMessage } from '../i18n/errorMessage';

const tokensKey = ['me', 'tokens'] as const;
const EXPIRY_CHOICES = [7, 30, 90, TOKEN_MAX_DAYS] as const;

/**
 * On the account page of staff and product managers: personal API tokens for exports and
 * scripts. A new token's secret is shown once, right after it is made; the list shows each
 * token's scopes, expiry and last use, and revokes one at once.
 */
export function ApiTokensCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: listTokens });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['read:exports']);
  const [days, setDays] = useState<number>(90);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [copied, setCopied] = useState(false);

  const create = useMutation({
    mutationFn: createToken,
    onSuccess: (answer) => {
      setCreated(answer);
      setCopied(false);
      setName('');
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes, expiresInDays: days });
  };
  const toggleScope = (scope: TokenScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  const copy = async (secret: string) => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };

  const items = tokens.data?.items ?? [];
  return (
    <section aria-labelledby="tokens-heading" className="card" data-testid="api-tokens">
      <h2 id="tokens-heading">{t('tokens.heading')}</h2>
      <p>{t('tokens.intro')}</p>
      {created ? (
        <div className="token-created" role="status" data-testid="token-created">
          <p>
            <strong>{t('tokens.createdOnce')}</strong>
          </p>
          <p>
            <code className="token-secret" data-testid="token-secret">
              {created.secret}
            </code>
          </p>
          <p className="actions">
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => void copy(created.secret)}
            >
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </button>
            <button type="button" className="button button-secondary button-small" onClick={() => setCreated(null)}>
              {t('tokens.done')}
            </button>
          </p>
          <p className="field-hint">{t('tokens.curlHint')}</p>
          <pre className="token-curl">{`curl -H "Authorization: Bearer ${created.secret}" ${window.location.origin}/api/ideas?sort=top`}</pre>
        </div>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={create.error ? errorMessage(t, create.error) : null} />
        <TextField
          label={t('tokens.name')}
          hint={t('tokens.nameHint')}
          name="tokenName"
          type="text"
          required
          maxLength={80}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset className="token-scopes">
          <legend>{t('tokens.scopes')}</legend>
          {TokenScopes.map((scope) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                name="scope"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(event) => toggleScope(scope, event.target.checked)}
              />
              {t(`tokens.scope.${scope === 'read:ideas' ? 'readIdeas' : 'readExports'}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="token-expiry">{t('tokens.expiry')}</label>
          <select
            id="token-expiry"
            name="expiresInDays"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {EXPIRY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {t('tokens.days', { count: d })}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="button"
          data-testid="token-create"
          disabled={create.isPending || !name.trim() || scopes.length === 0}
        >
          {create.isPending ? t('tokens.creating') : t('tokens.create')}
        </button>
      </form>
      <FormError
        message={tokens.error ? errorMessage(t, tokens.error) : revoke.error ? errorMessage(t, revoke.error) : null}
      />
      {tokens.isSuccess && items.length === 0 ? <p className="notice">{t('tokens.none')}</p> : null}
      {items.length ? (
        <ul className="token-list">
          {items.map((token) => (
            <li key={token.id} className="token-item" data-testid="token-item" data-state={token.state}>
              <p className="token-what">
                <strong>{token.name}</strong> <code>{token.prefix}…</code>{' '}
                <span className={`badge token-${token.state}`}>{t(`tokens.state.${token.state}`)}</span>
              </p>
              <p className="token-meta">
                {token.scopes.join(', ')} · {t('tokens.expires')} <RelativeTime date={token.expiresAt} /> ·{' '}
                {token.lastUsedAt ? (
                  <>
                    {t('tokens.lastUsed')} <RelativeTime date={token.lastUsedAt} />
                  </>
                ) : (
                  t('tokens.neverUsed')
                )}
              </p>
              {token.state === 'active' ? (
                <button
                  type="button"
                  className="button button-danger button-small"
                  data-testid="token-revoke"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(token.id)}
                >
                  {t('tokens.revoke')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
