import type { Upload } from '@fanlab/shared';
import { apiPost } from './client';

/** POST /api/uploads: the image file itself; answers where Fanlab serves its re-encoded copy. */
export function uploadImage(file: File): Promise<Upload> {
  return apiPost<Upload>('/api/uploads', file);
}
