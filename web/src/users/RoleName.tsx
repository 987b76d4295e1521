import { roles } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';

/** A role's translated name (an unknown one as the server spells it). */
export function RoleName({ role }: { role: string }) {
  const { t } = useTranslation();
  const known = (roles as readonly string[]).includes(role) ? (role as (typeof roles)[number]) : null;
  return <>{known ? t(`roles.${known}`) : role}</>;
}
