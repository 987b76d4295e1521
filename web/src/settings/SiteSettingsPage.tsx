import {
  type LimitValue,
  SettingGroups,
  type SiteSettingKey,
  SiteSettingKeys,
  SiteSettingSpecs,
  type SiteSettings,
  type SiteSettingsAnswer,
  type SiteSettingsPatch,
} from '@fanlab/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSiteSettings, updateSiteSettings } from '../api/settings';
import { FormError } from '../components/FormError';
import { Loading } from '../components/Loading';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';

type Value = SiteSettings[SiteSettingKey];
type Draft = Partial<Record<SiteSettingKey, Value | null>>;
const queryKey = ['admin', 'settings'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * /admin/settings (a tab of the admin screens, which let only those with `canManageSettings` in):
 * every limit and threshold of the site, grouped, with defaults and who changed what.
 */
export function SiteSettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('siteSettings.title'));
  const settings = useQuery({ queryKey, queryFn: getSiteSettings });
  if (!settings.data) {
    return settings.error ? <FormError message={errorMessage(t, settings.error)} /> : <Loading />;
  }
  return <SettingsForm answer={settings.data} />;
}

function SettingsForm({ answer }: { answer: SiteSettingsAnswer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({});
  const save = useMutation({
    mutationFn: (patch: SiteSettingsPatch) => updateSiteSettings(patch),
    onSuccess: (next) => {
      queryClient.setQueryData(queryKey, next);
      setDraft({});
    },
  });
  const changed = new Map(answer.changed.map((c) => [c.key, c]));
  const settingValue = (key: SiteSettingKey): Value => {
    const pending = draft[key];
    if (pending === undefined) return answer.values[key];
    return pending === null ? answer.defaults[key] : pending;
  };
  const edit = (key: SiteSettingKey, value: Value | null) =>
    setDraft((d) => {
      const next = { ...d };
      const inForce = answer.values[key];
      if (value === null ? !changed.has(key) : same(value, inForce)) delete next[key];
      else next[key] = value;
      return next;
    });
  const pending = Object.keys(draft).length;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) save.mutate(draft as SiteSettingsPatch);
  };

  return (
    <form className="site-settings" onSubmit={onSubmit} data-testid="site-settings">
      <h2>{t('siteSettings.heading')}</h2>
      <p className="muted">{t('siteSettings.intro')}</p>
      {SettingGroups.map((group) => (
        <fieldset key={group} className="card settings-group" data-testid={`settings-group-${group}`}>
          <legend>{t(`siteSettings.groups.${group}`)}</legend>
          {SiteSettingKeys.filter((key) => SiteSettingSpecs[key].group === group).map((key) => (
            <SettingRow
              key={key}
              settingKey={key}
              value={settingValue(key)}
              defaultValue={answer.defaults[key]}
              changedBy={changed.get(key)}
              dirty={draft[key] !== undefined}
              onChange={(value) => edit(key, value)}
            />
          ))}
        </fieldset>
      ))}
      <div className="settings-save-bar" aria-live="polite">
        <FormError message={save.error ? errorMessage(t, save.error) : null} />
        {save.isSuccess && !pending ? <p className="notice">{t('siteSettings.saved')}</p> : null}
        <button type="submit" className="button" disabled={!pending || save.isPending}>
          {t('siteSettings.save', { count: pending })}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={!pending || save.isPending}
          onClick={() => setDraft({})}
        >
          {t('siteSettings.discard')}
        </button>
      </div>
    </form>
  );
}

interface RowProps {
  settingKey: SiteSettingKey;
  value: Value;
  defaultValue: Value;
  changedBy: SiteSettingsAnswer['changed'][number] | undefined;
  dirty: boolean;
  onChange(value: Value | null): void;
}

function SettingRow({ settingKey, value, defaultValue, changedBy, dirty, onChange }: RowProps) {
  const { t } = useTranslation();
  const spec = SiteSettingSpecs[settingKey];
  const id = `setting-${settingKey}`;
  const isDefault = same(value, defaultValue);
  return (
    <div className={`setting-row${dirty ? ' setting-dirty' : ''}`} data-testid={id}>
      <label htmlFor={id} className="setting-label">
        {t(`siteSettings.keys.${settingKey}`)}
      </label>
      <div className="setting-input">
        <SettingInput id={id} settingKey={settingKey} value={value} onChange={onChange} />
      </div>
      <p className="setting-meta muted">
        {isDefault
          ? t('siteSettings.isDefault')
          : t('siteSettings.default', { value: show(t, spec.type, defaultValue) })}
        {changedBy && !dirty ? (
          <>
            {' · '}
            {t('siteSettings.changedBy', { name: changedBy.changedBy ?? '—' })}{' '}
            <RelativeTime date={changedBy.changedAt} />
          </>
        ) : null}
        {!isDefault ? (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => onChange(null)}>
              {t('siteSettings.reset')}
            </button>
          </>
        ) : null}
      </p>
    </div>
  );
}

function show(t: TFunction, type: string, value: Value): string {
  if (type === 'bool') return value ? t('siteSettings.on') : t('siteSettings.off');
  if (type === 'words') return (value as string[]).length ? (value as string[]).join(', ') : t('siteSettings.none');
  if (type === 'limit') {
    const l = value as LimitValue;
    return t('siteSettings.limitValue', { max: l.max, seconds: l.windowSeconds });
  }
  return String(value);
}

function SettingInput({
  id,
  settingKey,
  value,
  onChange,
}: {
  id: string;
  settingKey: SiteSettingKey;
  value: Value;
  onChange(value: Value): void;
}) {
  const { t } = useTranslation();
  const spec = SiteSettingSpecs[settingKey];
  switch (spec.type) {
    case 'bool':
      return <input id={id} type="checkbox" checked={value as boolean} onChange={(e) => onChange(e.target.checked)} />;
    case 'words':
      return (
        <WordsInput id={id} words={value as string[]} onChange={onChange} placeholder={t('siteSettings.wordsHint')} />
      );
    case 'limit': {
      const limit = value as LimitValue;
      return (
        <span className="limit-input">
          <NumberInput
            id={id}
            value={limit.max}
            min={1}
            max={1_000_000}
            step={1}
            onChange={(max) => onChange({ ...limit, max })}
          />
          <span>{t('siteSettings.per')}</span>
          <NumberInput
            id={`${id}-window`}
            label={t('siteSettings.windowSeconds')}
            value={limit.windowSeconds}
            min={1}
            max={7 * 86_400}
            step={1}
            onChange={(windowSeconds) => onChange({ ...limit, windowSeconds })}
          />
          <span>{t('siteSettings.seconds')}</span>
        </span>
      );
    }
    default:
      return (
        <NumberInput
          id={id}
          value={value as number}
          min={spec.min}
          max={spec.max}
          step={spec.type === 'int' ? 1 : 0.05}
          onChange={onChange}
        />
      );
  }
}

/** A number field that keeps what is typed until it is a number within bounds. */
function NumberInput(props: {
  id: string;
  label?: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
}) {
  const [text, setText] = useState(String(props.value));
  const [shown, setShown] = useState(props.value);
  if (shown !== props.value) {
    setShown(props.value);
    setText(String(props.value));
  }
  const valid = (n: number) =>
    Number.isFinite(n) && n >= props.min && n <= props.max && (props.step !== 1 || Number.isInteger(n));
  const current = Number(text);
  return (
    <input
      id={props.id}
      aria-label={props.label}
      type="number"
      inputMode="decimal"
      min={props.min}
      max={props.max}
      step={props.step}
      value={text}
      aria-invalid={text !== '' && !valid(current)}
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value !== '' && valid(n)) {
          setShown(n);
          props.onChange(n);
        }
      }}
    />
  );
}

function WordsInput({
  id,
  words,
  placeholder,
  onChange,
}: {
  id: string;
  words: string[];
  placeholder: string;
  onChange(words: string[]): void;
}) {
  const [text, setText] = useState(words.join('\n'));
  const [shown, setShown] = useState(words);
  if (!same(shown, words)) {
    setShown(words);
    setText(words.join('\n'));
  }
  return (
    <textarea
      id={id}
      rows={3}
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        const parsed = [
          ...new Set(
            e.target.value
              .split('\n')
              .map((w) => w.trim())
              .filter(Boolean),
          ),
        ];
        setShown(parsed);
        onChange(parsed);
      }}
    />
  );
}
