import { useQuery } from '@tanstack/react-query';
import { previewMarkdown } from '../api/forum';
import { forumKeys } from './queryKeys';

/** The server's rendering of a draft, while the preview is shown. */
export function usePreview(body: string, enabled: boolean) {
  return useQuery({
    queryKey: forumKeys.preview(body),
    queryFn: () => previewMarkdown(body),
    enabled: enabled && body.trim() !== '',
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
}
