import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

/** A small search box in the header (the search page has its own). */
export function HeaderSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [q, setQ] = useState('');
  if (location.pathname === '/search') return null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = q.trim();
    navigate(query ? `/search?${new URLSearchParams({ q: query })}` : '/search');
    setQ('');
  };
  return (
    <search className="header-search">
      <form onSubmit={onSubmit}>
        <label htmlFor="header-search" className="visually-hidden">
          {t('search.queryLabel')}
        </label>
        <input
          id="header-search"
          type="search"
          name="q"
          data-testid="header-search-input"
          placeholder={t('search.headerPlaceholder')}
          maxLength={200}
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
      </form>
    </search>
  );
}
