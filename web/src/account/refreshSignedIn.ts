import type { Me } from '@fanlab/shared';
import type { QueryClient } from '@tanstack/react-query';
import { authMutationKey } from './mutations';
import { meQueryKey } from './useMe';

function whenAuthMutationsSettled(queryClient: QueryClient): Promise<void> {
  const busy = () => queryClient.isMutating({ mutationKey: authMutationKey }) > 0;
  if (!busy()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = queryClient.getMutationCache().subscribe(() => {
      if (busy()) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * Asks the server again who is signed in, after it told us sessions ended. Waits for this
 * tab's own sign-in, sign-out or password change to finish first, so the cookie it sends is
 * the newest. (A password change hands this browser's sockets over to its new session on the
 * server, so its own tabs are not told to re-check.) Resolves true when a user is signed in.
 */
export async function refreshSignedIn(queryClient: QueryClient): Promise<boolean> {
  await whenAuthMutationsSettled(queryClient);
  await queryClient.refetchQueries({ queryKey: meQueryKey, exact: true });
  return queryClient.getQueryData<Me | null>(meQueryKey) != null;
}
