import { createContext, useContext } from 'react';
import type { LiveClient } from './LiveClient';

export const LiveContext = createContext<LiveClient | null>(null);

/** The tab's live connection (inside <LiveProvider>). */
export function useLiveClient(): LiveClient {
  const client = useContext(LiveContext);
  if (!client) throw new Error('useLiveClient needs a <LiveProvider> above it.');
  return client;
}
