import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { checkPoll, type PollCheck } from '../poll-check.js';

/**
 * phpBB's poll fields: the question, the options one per line, options per member, how many
 * days it runs (blank: for ever), when the results show (Discourse's "Show results": always, or
 * once the poll has closed) and whether members may change their vote. `idPrefix` keeps
 * the ids (and so the labels) apart from another form on the page.
 */
export function pollFields(idPrefix: string): { el: HTMLElement; read(): PollCheck; isBlank(): boolean; clear(): void; focus(): void } {
  const id = (name: string) => `${idPrefix}-${name}`;
  const question = h('input', { id: id('question'), name: 'question', type: 'text', maxlength: LIMITS.pollQuestionMax, autocomplete: 'off' });
  const options = h('textarea', { id: id('options'), name: 'options', rows: 5, 'aria-describedby': id('options-hint') });
  const maxChoices = h('input', { id: id('max'), name: 'maxChoices', type: 'number', class: 'short', min: 1, max: LIMITS.pollOptionsMax, step: 1, value: 1 });
  const days = h('input', { id: id('days'), name: 'closesInDays', type: 'number', class: 'short', min: 1, max: LIMITS.pollDaysMax, step: 1, 'aria-describedby': id('days-hint') });
  const results = h(
    'select',
    { id: id('results'), name: 'results' },
    h('option', { value: 'always', selected: true }, 'Always'),
    h('option', { value: 'closed' }, 'When the poll closes'),
  );
  const change = h('input', { id: id('change'), name: 'allowVoteChange', type: 'checkbox', class: 'checkbox' });

  const el = h(
    'div',
    { class: 'poll-fields' },
    h('label', { for: question.id }, 'Poll question'),
    question,
    h('label', { for: options.id }, 'Poll options'),
    options,
    h('p', { id: id('options-hint'), class: 'hint' }, `One option per line: ${LIMITS.pollOptionsMin} to ${LIMITS.pollOptionsMax}, each up to ${LIMITS.pollOptionMax} characters.`),
    h(
      'div',
      { class: 'poll-numbers' },
      h('div', null, h('label', { for: maxChoices.id }, 'Options per member'), maxChoices),
      h('div', null, h('label', { for: days.id }, 'Closes in (days)'), days, h('p', { id: id('days-hint'), class: 'hint' }, 'Leave blank to never close.')),
      h('div', null, h('label', { for: results.id }, 'Show results'), results),
    ),
    h('label', { class: 'checkbox-label', for: change.id }, change, ' Allow members to change their vote'),
  );

  return {
    el,
    read: () => checkPoll({ question: question.value, options: options.value, maxChoices: maxChoices.value, closesInDays: days.value, allowVoteChange: change.checked, results: results.value === 'closed' ? 'closed' : 'always' }),
    /** Nothing asked and no options given: no poll meant. */
    isBlank: () => !question.value.trim() && !options.value.trim(),
    clear(): void {
      question.value = '';
      options.value = '';
      maxChoices.value = '1';
      days.value = '';
      results.value = 'always';
      change.checked = false;
    },
    focus: () => question.focus(),
  };
}
