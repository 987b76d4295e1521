import type { ChangePasswordBody, ConfirmSignUpBody, Locale, Me, SignInBody, SignUpBody } from '@fanlab/shared';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { changePassword, confirmSignUp, signIn, signOut, signOutEverywhere, signUp, updateMe } from '../api/auth';
import { meQueryKey } from './useMe';

/** Every mutation that changes the session cookie carries this key prefix (see refreshSignedIn). */
export const authMutationKey = ['auth'] as const;

/** Drops everything cached for the previous user and records who is signed in now. */
function setSignedInUser(queryClient: QueryClient, user: Me | null) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  queryClient.setQueryData<Me | null>(meQueryKey, user);
}

/** Asks for the confirmation mail: nobody is signed in yet. */
export function useSignUp() {
  return useMutation({
    mutationKey: ['sign-up'],
    mutationFn: (body: SignUpBody) => signUp(body),
  });
}

/** Opens the mailed link: the account is created and signed in. */
export function useConfirmSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...authMutationKey, 'sign-up-confirm'],
    mutationFn: (body: ConfirmSignUpBody) => confirmSignUp(body),
    onSuccess: ({ user }) => setSignedInUser(queryClient, user),
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...authMutationKey, 'sign-in'],
    mutationFn: (body: SignInBody) => signIn(body),
    onSuccess: (user) => setSignedInUser(queryClient, user),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...authMutationKey, 'sign-out'],
    mutationFn: signOut,
    onSuccess: () => setSignedInUser(queryClient, null),
    // Whatever happened, ask the server who we are now.
    onError: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}

export function useSignOutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...authMutationKey, 'sign-out-everywhere'],
    mutationFn: signOutEverywhere,
    onSuccess: () => setSignedInUser(queryClient, null),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationKey: [...authMutationKey, 'password'],
    mutationFn: (body: ChangePasswordBody) => changePassword(body),
  });
}

/** Whether others see the day this member was last seen. */
export function useUpdateShowLastSeen() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['me', 'showLastSeen'],
    mutationFn: (showLastSeen: boolean) => updateMe({ showLastSeen }),
    onSuccess: (user) => queryClient.setQueryData<Me | null>(meQueryKey, user),
  });
}

export function useUpdateLocale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['me', 'locale'],
    mutationFn: (locale: Locale | null) => updateMe({ locale }),
    onSuccess: (user) => queryClient.setQueryData<Me | null>(meQueryKey, user),
  });
}
