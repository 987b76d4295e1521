import { type ComponentType, lazy, Suspense } from 'react';
import { Loading } from './Loading';

/**
 * A page whose code loads on its first visit (a chunk of its own), showing the loading state
 * meanwhile: the first load of the site carries only the shell and the home page.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Page = lazy(async () => ({ default: await load() })) as unknown as ComponentType<P>;
  return function LazyPage(props: P) {
    return (
      <Suspense fallback={<Loading />}>
        <Page {...props} />
      </Suspense>
    );
  };
}
