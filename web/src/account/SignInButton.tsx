import { Link, useLocation } from 'react-router';
import { withNext } from './nextPath';

/** A button to the sign-in page that brings the visitor back here afterwards. */
export function SignInButton({ label, testId }: { label: string; testId: string }) {
  const location = useLocation();
  return (
    <Link
      to={withNext('/sign-in', `${location.pathname}${location.search}`)}
      className="button button-secondary"
      data-testid={testId}
    >
      {label}
    </Link>
  );
}
