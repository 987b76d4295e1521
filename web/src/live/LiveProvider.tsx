import { UserChannelEvents } from '@fanlab/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { refreshSignedIn } from '../account/refreshSignedIn';
import { useMe } from '../account/useMe';
import { LiveContext } from './context';
import { LiveClient } from './LiveClient';

/**
 * Owns the tab's live connection and watches the signed-in user's channel: when sessions are
 * revoked (log out everywhere, password change) or the server ends the socket's session, it asks
 * /api/me again, so a sign-out in one tab or device signs out this tab too.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [client] = useState(() => {
    let pending: Promise<boolean> | undefined;
    // One check at a time: the revocation event and the socket's close arrive together.
    const checkSession = () => {
      pending ??= refreshSignedIn(queryClient).finally(() => {
        pending = undefined;
      });
      return pending;
    };
    return { client: new LiveClient({ onSessionEnded: checkSession }), checkSession };
  });

  useEffect(() => {
    client.client.start();
    return () => client.client.stop();
  }, [client]);

  const userId = useMe().data?.id;
  useEffect(() => {
    client.client.setIdentity(userId === undefined ? 'anonymous' : `user:${userId}`);
    if (userId === undefined) return;
    let subscriptions = 0;
    const check = () => void client.checkSession();
    return client.client.subscribe(`user:${userId}`, {
      onEvent: (event) => {
        if (event.event === UserChannelEvents.sessionsRevoked) check();
      },
      // After a reconnect we may have missed a revocation.
      onSubscribed: () => {
        if (subscriptions++ > 0) check();
      },
      // Refused (unauthenticated): the session behind this socket is gone.
      onError: check,
    });
  }, [client, userId]);

  return <LiveContext.Provider value={client.client}>{children}</LiveContext.Provider>;
}
