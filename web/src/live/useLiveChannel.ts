import { useEffect, useRef } from 'react';
import { useLiveClient } from './context';
import type { ChannelHandlers } from './LiveClient';

/**
 * Subscribes to a live channel while the component is mounted (null: none). Handlers may
 * change between renders without re-subscribing; `cursor` is read when subscribing, so pass the
 * cursor of the snapshot you loaded over HTTP to receive only what happened after it.
 */
export function useLiveChannel(channel: string | null, handlers: ChannelHandlers, cursor?: number): void {
  const client = useLiveClient();
  const latest = useRef({ handlers, cursor });
  useEffect(() => {
    latest.current = { handlers, cursor };
  });
  useEffect(() => {
    if (!channel) return;
    return client.subscribe(
      channel,
      {
        onEvent: (event) => latest.current.handlers.onEvent?.(event),
        onSubscribed: (info) => latest.current.handlers.onSubscribed?.(info),
        onError: (error) => latest.current.handlers.onError?.(error),
      },
      latest.current.cursor,
    );
  }, [client, channel]);
}
