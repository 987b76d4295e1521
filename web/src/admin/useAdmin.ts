import type { AdminUserQuery, AuditLogQuery, Role } from '@fanlab/shared';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getAdminUser, listAdminUsers, listAuditLog, setUserRole } from '../api/admin';

/** Every cache key of the admin screens. */
export const adminKeys = {
  all: ['admin'] as const,
  users: (filter: Omit<AdminUserQuery, 'cursor'>) => ['admin', 'users', 'list', filter] as const,
  user: (id: number) => ['admin', 'users', 'detail', id] as const,
  audit: (filter: Omit<AuditLogQuery, 'cursor'>) => ['admin', 'audit', filter] as const,
};

/** `value`, once it has stopped changing for `ms` (a search box asks once typing pauses). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function useAdminUsers(filter: Omit<AdminUserQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: adminKeys.users(filter),
    queryFn: ({ pageParam }) => listAdminUsers({ ...filter, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useAdminUser(id: number | null) {
  return useQuery({ queryKey: adminKeys.user(id ?? 0), queryFn: () => getAdminUser(id ?? 0), enabled: id !== null });
}

export function useSetRole(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (role: Role) => setUserRole(id, role),
    onSuccess: (user) => {
      queryClient.setQueryData(adminKeys.user(id), user);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] });
    },
  });
}

export function useAuditLog(filter: Omit<AuditLogQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: adminKeys.audit(filter),
    queryFn: ({ pageParam }) => listAuditLog({ ...filter, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
