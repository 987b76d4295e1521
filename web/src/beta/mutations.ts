import type {
  BetaApplyBody,
  BetaDecisionBody,
  BetaProgram,
  CreateBetaProgramBody,
  MyBetaApplication,
  UpdateBetaProgramBody,
} from '@fanlab/shared';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  applyToBetaProgram,
  createBetaProgram,
  decideBetaApplication,
  updateBetaProgram,
  withdrawBetaApplication,
} from '../api/beta';
import { betaKeys } from './queryKeys';

/** The reader's application changed: the program shows it at once; lists and seats load again. */
function storeMyApplication(queryClient: QueryClient, slug: string, application: MyBetaApplication) {
  queryClient.setQueryData<BetaProgram>(betaKeys.detail(slug), (program) =>
    program ? { ...program, myApplication: application, canApply: false } : program,
  );
  void queryClient.invalidateQueries({ queryKey: betaKeys.detail(slug) });
  void queryClient.invalidateQueries({ queryKey: betaKeys.mine });
  void queryClient.invalidateQueries({ queryKey: betaKeys.lists });
}

export function useApply(program: Pick<BetaProgram, 'id' | 'slug'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BetaApplyBody) => applyToBetaProgram(program.id, body),
    onSuccess: (answer) => storeMyApplication(queryClient, program.slug, answer.application),
  });
}

export function useWithdraw(program: Pick<BetaProgram, 'id' | 'slug'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => withdrawBetaApplication(program.id),
    onSuccess: (application) => storeMyApplication(queryClient, program.slug, application),
  });
}

/** After a manager's change the program is stored under its (maybe new) slug. */
function storeProgram(queryClient: QueryClient, program: BetaProgram) {
  queryClient.setQueryData(betaKeys.detail(program.slug), program);
  void queryClient.invalidateQueries({ queryKey: betaKeys.lists });
}

export function useCreateProgram() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBetaProgramBody) => createBetaProgram(body),
    onSuccess: (program) => storeProgram(queryClient, program),
  });
}

export function useUpdateProgram(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateBetaProgramBody) => updateBetaProgram(id, body),
    onSuccess: (program) => {
      storeProgram(queryClient, program);
      void queryClient.invalidateQueries({
        queryKey: betaKeys.details,
        predicate: (q) => q.queryKey[2] !== program.slug,
      });
    },
  });
}

export function useDecideApplication(programId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: BetaDecisionBody }) => decideBetaApplication(id, body),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: betaKeys.applications(programId) });
      void queryClient.invalidateQueries({ queryKey: betaKeys.details });
    },
  });
}
