import { type Category, type CategoryBody, LANGUAGE_TAG_PATTERN, SLUG_PATTERN } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';

const DEFAULT_COLOR = '#5b3cc4';
const LANGUAGE = new RegExp(LANGUAGE_TAG_PATTERN);
const SLUG = new RegExp(SLUG_PATTERN);

/** `Phones & Tablets` → `phones-tablets` (the slug a new category starts with). */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

export type CategoryFields = Required<
  Pick<CategoryBody, 'name' | 'slug' | 'description' | 'color'> & { parentId: number | null; locale: string | null }
>;

interface Props {
  /** The category edited; none for a new one. */
  category?: Category;
  /** A new one's parent. */
  parentId?: number | null;
  /** Top-level categories a category may go under (itself excluded by the form). */
  parents: readonly Category[];
  /** It has sub-categories: it stays top level. */
  hasChildren?: boolean;
  heading: string;
  pending: boolean;
  error: unknown;
  onSubmit: (fields: CategoryFields) => void;
  onCancel: () => void;
}

/** Name, slug, description, colour, parent and language of a category, new or edited. */
export function CategoryForm({
  category,
  parentId = null,
  parents,
  hasChildren,
  heading,
  pending,
  error,
  onSubmit,
  onCancel,
}: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(category?.name ?? '');
  const [slug, setSlug] = useState(category?.slug ?? '');
  const [slugEdited, setSlugEdited] = useState(Boolean(category));
  const [description, setDescription] = useState(category?.description ?? '');
  const [color, setColor] = useState(category?.color ?? DEFAULT_COLOR);
  const [parent, setParent] = useState<number | null>(category ? category.parentId : parentId);
  const [locale, setLocale] = useState(category?.locale ?? '');
  const languageValid = locale.trim() === '' || LANGUAGE.test(locale.trim());
  const valid = name.trim() !== '' && SLUG.test(slug) && languageValid;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    onSubmit({
      name: name.trim(),
      slug,
      description: description.trim(),
      color,
      parentId: parent,
      locale: locale.trim() === '' ? null : locale.trim(),
    });
  };
  const id = category ? `cat-${category.id}` : `cat-new-${parentId ?? 'top'}`;
  return (
    <form className="category-form card" data-testid="category-form" onSubmit={submit}>
      <h3>{heading}</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('admin.categories.name')}</label>
        <input
          id={`${id}-name`}
          type="text"
          name="name"
          required
          maxLength={60}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugOf(e.target.value));
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-slug`}>{t('admin.categories.slug')}</label>
        <input
          id={`${id}-slug`}
          type="text"
          name="slug"
          required
          maxLength={50}
          value={slug}
          aria-describedby={`${id}-slug-hint`}
          onChange={(e) => {
            setSlug(e.target.value);
            setSlugEdited(true);
          }}
        />
        <p id={`${id}-slug-hint`} className="field-hint">
          {t('admin.categories.slugHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t('admin.categories.description')}</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={2}
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="category-form-row">
        <div className="field">
          <label htmlFor={`${id}-color`}>{t('admin.categories.color')}</label>
          <input
            id={`${id}-color`}
            name="color"
            type="color"
            value={color}
            onChange={(e) => setColor(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-parent`}>{t('admin.categories.parent')}</label>
          <select
            id={`${id}-parent`}
            name="parent"
            value={parent ?? ''}
            disabled={hasChildren}
            onChange={(e) => setParent(e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">{t('admin.categories.noParent')}</option>
            {parents
              .filter((p) => p.id !== category?.id)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
          {hasChildren ? <p className="field-hint">{t('admin.categories.parentLocked')}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-locale`}>{t('admin.categories.language')}</label>
          <input
            id={`${id}-locale`}
            type="text"
            name="locale"
            maxLength={16}
            value={locale}
            aria-invalid={!languageValid}
            aria-describedby={`${id}-locale-hint`}
            onChange={(e) => setLocale(e.target.value)}
          />
          <p id={`${id}-locale-hint`} className={languageValid ? 'field-hint' : 'field-hint field-hint-error'}>
            {languageValid ? t('admin.categories.languageHint') : t('admin.categories.languageInvalid')}
          </p>
        </div>
      </div>
      <FormError message={error ? errorMessage(t, error) : null} />
      <p className="actions">
        <button type="submit" className="button button-small" data-testid="category-save" disabled={pending || !valid}>
          {pending
            ? t('admin.categories.saving')
            : category
              ? t('admin.categories.save')
              : t('admin.categories.create')}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onCancel}>
          {t('admin.categories.cancel')}
        </button>
      </p>
    </form>
  );
}
