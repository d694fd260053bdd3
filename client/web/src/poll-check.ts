import type { PollInput } from '../../sdk/index.js';
import { LIMITS } from '../../../shared/limits.js';

/** A poll form's fields as typed (the options one per line; blank numbers are ''). */
export interface PollDraft {
  question: string;
  options: string;
  maxChoices: string;
  closesInDays: string;
  allowVoteChange: boolean;
  /** When the totals show: always, or once the poll has closed. */
  results: 'always' | 'closed';
}

export type PollCheck = { ok: true; poll: PollInput } | { ok: false; message: string };

/**
 * The server's rules for a new poll (shared/schemas.ts `pollInput`), checked before sending so
 * the member is told at once, in words: a question, 2 to 10 distinct options (ignoring case),
 * options per member from 1 to the number of options, closing in 1 to 365 days or never, the
 * results shown always or once it has closed.
 */
export function checkPoll(draft: PollDraft): PollCheck {
  const question = draft.question.trim();
  const options = draft.options
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const fail = (message: string): PollCheck => ({ ok: false, message });

  if (!question) return fail('Give the poll a question.');
  if (question.length > LIMITS.pollQuestionMax) return fail(`The question can be at most ${LIMITS.pollQuestionMax} characters.`);
  if (options.length < LIMITS.pollOptionsMin) return fail(`Give at least ${LIMITS.pollOptionsMin} options, one per line.`);
  if (options.length > LIMITS.pollOptionsMax) return fail(`Give at most ${LIMITS.pollOptionsMax} options.`);
  const long = options.findIndex((o) => o.length > LIMITS.pollOptionMax);
  if (long >= 0) return fail(`Option ${long + 1} is longer than ${LIMITS.pollOptionMax} characters.`);
  const seen = new Set<string>();
  for (const option of options) {
    if (seen.has(option.toLowerCase())) return fail(`“${option}” is listed twice.`);
    seen.add(option.toLowerCase());
  }

  const maxChoices = draft.maxChoices.trim() === '' ? 1 : Number(draft.maxChoices);
  if (!Number.isInteger(maxChoices) || maxChoices < 1) return fail('Options per member: a whole number, at least 1.');
  if (maxChoices > options.length) return fail(`Options per member can be at most ${options.length}, the number of options.`);

  const days = draft.closesInDays.trim();
  const closesInDays = days === '' ? undefined : Number(days);
  if (closesInDays !== undefined && (!Number.isInteger(closesInDays) || closesInDays < 1 || closesInDays > LIMITS.pollDaysMax)) {
    return fail(`Closes in: a whole number of days from 1 to ${LIMITS.pollDaysMax}, or blank to never close.`);
  }

  return { ok: true, poll: { question, options, maxChoices, allowVoteChange: draft.allowVoteChange, results: draft.results, ...(closesInDays !== undefined && { closesInDays }) } };
}
