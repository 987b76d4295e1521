import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../auth/useMe';
import { usePageTitle } from '../components/usePageTitle';

function Features() {
  const { t } = useTranslation();
  const features = [
    { title: t('home.features.ideasTitle'), text: t('home.features.ideasText') },
    { title: t('home.features.votesTitle'), text: t('home.features.votesText') },
    { title: t('home.features.betasTitle'), text: t('home.features.betasText') },
  ];
  return (
    <section aria-labelledby="features-heading" className="features">
      <h2 id="features-heading">{t('home.featuresHeading')}</h2>
      <ul className="feature-list">
        {features.map((feature) => (
          <li key={feature.title} className="card">
            <h3>{feature.title}</h3>
            <p>{feature.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle();
  const { data: me, isPending } = useMe();

  return (
    <div className="home">
      <section className="hero">
        {me ? (
          <>
            <h1>{t('home.greeting', { username: me.username })}</h1>
            <p className="lead">{t('home.signedInIntro')}</p>
            <p>
              <Link to="/account" className="button">
                {t('home.goToAccount')}
              </Link>
            </p>
          </>
        ) : (
          <>
            <h1>{t('home.heading')}</h1>
            <p className="lead">{t('home.intro')}</p>
          </>
        )}
      </section>
      <Features />
      {!me && !isPending ? (
        <section aria-labelledby="cta-heading" className="cta card">
          <h2 id="cta-heading">{t('home.ctaHeading')}</h2>
          <p>{t('home.ctaText')}</p>
          <p className="actions">
            <Link to="/sign-up" className="button">
              {t('home.ctaSignUp')}
            </Link>
            <Link to="/sign-in" className="button button-secondary">
              {t('home.ctaSignIn')}
            </Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
