import type {
  ChangePasswordBody,
  ConfirmSignUpBody,
  ConfirmSignUpResponse,
  Me,
  MeResponse,
  SignInBody,
  SignUpBody,
  SignUpResponse,
  UpdateMeBody,
} from '@fanlab/shared';
import { apiGet, apiPatch, apiPost } from './client';

/** Answers that always carry the signed-in user. */
interface SignedInResponse {
  user: Me;
}

/** GET /api/me: the signed-in user, or null. */
export async function getMe(): Promise<Me | null> {
  return (await apiGet<MeResponse>('/api/me')).user;
}

/** PATCH /api/me: saves preferences (language, showing the day last seen). */
export async function updateMe(body: UpdateMeBody): Promise<Me> {
  return (await apiPatch<SignedInResponse>('/api/me', body)).user;
}

/** POST /api/auth/sign-up: mails a confirmation link (the same answer whether or not the address has an account). */
export function signUp(body: SignUpBody): Promise<SignUpResponse> {
  return apiPost<SignUpResponse>('/api/auth/sign-up', body);
}

/** POST /api/auth/sign-up/confirm: the mailed link's token creates the account and signs in. */
export function confirmSignUp(body: ConfirmSignUpBody): Promise<ConfirmSignUpResponse> {
  return apiPost<ConfirmSignUpResponse>('/api/auth/sign-up/confirm', body);
}

/** POST /api/auth/sign-in with username or email. */
export async function signIn(body: SignInBody): Promise<Me> {
  return (await apiPost<SignedInResponse>('/api/auth/sign-in', body)).user;
}

/** POST /api/auth/sign-out: ends this session. */
export function signOut(): Promise<void> {
  return apiPost<void>('/api/auth/sign-out');
}

/** POST /api/auth/sign-out-everywhere: ends every session of the account, this one included. */
export function signOutEverywhere(): Promise<void> {
  return apiPost<void>('/api/auth/sign-out-everywhere');
}

/** POST /api/auth/password: this browser gets a fresh session, every other one ends. */
export function changePassword(body: ChangePasswordBody): Promise<void> {
  return apiPost<void>('/api/auth/password', body);
}
