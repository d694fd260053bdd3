// Polls in Chromium: a member starts a topic with a poll through the new-topic form (the form's
// own checks first); another member's page, open on the topic, sees each vote's totals change
// live (votes, shares of voters, Total voters), their own choice marked; a vote from a tab that
// did not know the member had voted is refused inline and the tab catches up; a moderator
// removes a poll with votes. The author adds a multiple-choice poll to a topic that had none:
// it appears live for another member, who ticks up to two, changes and takes back the vote;
// a vote in a poll that closed meanwhile is refused inline; the author removes the poll and it
// disappears live; the forum listing marks topics with a poll, live. A poll whose results show
// once it closes: no totals or bars anywhere while open, only how many voted; its author closes
// it (the totals appear live in every page) and reopens it (hidden again); only the author and
// moderators have Close poll, and a refusal shows in the box. The real server (serving the
// built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('polls');

/** One option as a page shows it: text, votes, share of voters, whether it is the viewer's own choice. */
type Row = [text: string, votes: string, share: string, mine: boolean];

describe.skipIf(chromiumMissing)('polls in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let forumId: string;
  /** Alice's topic without a poll (she adds one in the browser). */
  let plainTopicId: string;
  const { watch, newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const box = (p: Page) => p.locator('section.poll');
  /** The options as the page shows them. */
  const rows = (p: Page): Promise<Row[]> =>
    box(p)
      .locator('li.poll-option')
      .evaluateAll((lis) =>
        lis.map((li) => [li.querySelector('.poll-text')?.textContent ?? '', li.querySelector('.poll-votes')?.textContent ?? '', li.querySelector('.poll-percent')?.textContent ?? '', li.classList.contains('mine')] as Row),
      );
  const totalVoters = (p: Page) => box(p).locator('.poll-total').textContent();
  const voteButton = (p: Page) => box(p).getByRole('button', { name: 'Vote', exact: true });
  const alertIn = (p: Page) => box(p).getByRole('alert');
  const serverPoll = async (topicId: string, who?: Member) => (await s.api('GET', `/topics/${topicId}/poll`, { token: who?.token })).body.poll;
  const votesOf = (poll: { options: Array<{ votes: number | null }> }) => poll.options.map((o) => o.votes);
  /** Bars drawn in the box (none while the results are hidden). */
  const visibleBars = (p: Page) => box(p).locator('.poll-bar:visible').count();
  const closeButton = (p: Page) => box(p).getByRole('button', { name: 'Close poll' });
  const reopenButton = (p: Page) => box(p).getByRole('button', { name: 'Reopen poll' });

  /** A page on a topic, live. */
  const onTopic = (p: Page, topicId: string) => openTopic(p, s.url, topicId);

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    forumId = (await s.forum(admin, { title: 'General', description: 'Anything.' })).id;
    plainTopicId = (await s.topic(forumId, alice, { title: 'Pizza night on Friday', body: 'Who is in?' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('starts a topic with a poll from the form; votes show live in other pages; a stale vote is refused inline', { timeout: 90_000 }, async () => {
    // Alice starts the topic; the form checks the poll before sending it.
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).click();
    const form = a.getByRole('form', { name: 'Post a new topic' });
    await form.getByLabel('Subject').fill('Editors');
    await form.getByLabel('Message').fill('Which one do you use, and why?');
    expect(await form.getByLabel('Poll question').isVisible()).toBe(false);
    await form.locator('summary', { hasText: 'Add a poll' }).click();
    await form.getByLabel('Poll question').fill('Which editor do you use?');
    await form.getByLabel('Poll options', { exact: true }).fill('Vim\n');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), LIVE).toBe('Give at least 2 options, one per line.');
    await form.getByLabel('Poll options', { exact: true }).fill('Vim\nEmacs\n  vim  ');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), LIVE).toBe('“vim” is listed twice.');
    await form.getByLabel('Poll options', { exact: true }).fill('Vim\n\nEmacs\nVS Code\n');
    await form.getByLabel('Options per member').fill('4');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), LIVE).toBe('Options per member can be at most 3, the number of options.');
    // Nothing was sent meanwhile: the forum has only the topic made before.
    expect((await s.api('GET', `/forums/${forumId}/topics`)).body.topics).toHaveLength(1);
    await form.getByLabel('Options per member').fill('1');
    await form.getByRole('button', { name: 'Submit' }).click();
    await a.waitForURL(/\/t\/[0-9a-f]{24}$/, LIVE);
    const topicId = a.url().split('/t/')[1];

    // What the server stored, and Alice's page: the question, three radio buttons, no votes yet.
    const stored = await serverPoll(topicId, alice);
    expect(stored).toMatchObject({ question: 'Which editor do you use?', maxChoices: 1, allowVoteChange: false, voterCount: 0, closed: false, myChoices: [], may: { vote: true } });
    expect(stored.options.map((o: { text: string }) => o.text)).toEqual(['Vim', 'Emacs', 'VS Code']);
    expect(stored.closesAt).toBeUndefined();
    await onTopic(a, topicId);
    await box(a).waitFor(LIVE);
    expect(await box(a).getByRole('heading').textContent()).toBe('Which editor do you use?');
    expect(await box(a).getByRole('radio').count()).toBe(3);
    expect(await box(a).getByRole('checkbox').count()).toBe(0);
    expect(await box(a).getByRole('group', { name: 'Which editor do you use?' }).count()).toBe(1);
    expect(await rows(a)).toEqual([
      ['Vim', '0 votes', '0%', false],
      ['Emacs', '0 votes', '0%', false],
      ['VS Code', '0 votes', '0%', false],
    ]);
    expect(await totalVoters(a)).toBe('Total voters: 0');
    expect(await box(a).locator('.poll-notes').isHidden()).toBe(true);
    // Her own poll, with no votes yet: she may remove it.
    expect(await box(a).getByRole('button', { name: 'Remove poll' }).isVisible()).toBe(true);
    await markPage(a);

    // Bob in two tabs on the topic, and a guest.
    const b1 = await newPage();
    await logIn(b1, bob, `/t/${topicId}`);
    await onTopic(b1, topicId);
    const b2 = await b1.context().newPage();
    watch(b2);
    await onTopic(b2, topicId);
    const g = await newPage();
    await onTopic(g, topicId);
    await box(g).waitFor(LIVE);
    expect(await box(g).getByRole('radio').count()).toBe(0);
    expect(await box(g).locator('.poll-notes').textContent()).toBe('Log in to vote.');
    for (const p of [b1, b2]) {
      await box(p).waitFor(LIVE);
      expect(await box(p).getByRole('button', { name: 'Remove poll' }).count()).toBe(0);
      await markPage(p);
    }
    await markPage(g);

    // A vote needs a choice.
    await voteButton(b1).click();
    await expect.poll(() => alertIn(b1).textContent(), LIVE).toBe('Choose an option first.');

    // Bob votes Emacs in his first tab: his choice is marked, the radios go.
    await box(b1).getByRole('radio', { name: 'Emacs' }).check();
    await voteButton(b1).click();
    await expect.poll(() => rows(b1), LIVE).toEqual([
      ['Vim', '0 votes', '0%', false],
      ['Emacs', '1 vote', '100%', true],
      ['VS Code', '0 votes', '0%', false],
    ]);
    expect(await box(b1).locator('.poll-mine').textContent()).toBe('✓ Your choice');
    expect(await totalVoters(b1)).toBe('Total voters: 1');
    expect(await box(b1).getByRole('radio').count()).toBe(0);
    expect(await alertIn(b1).count()).toBe(0);
    // Votes may not change in this poll: no Change vote.
    expect(await box(b1).getByRole('button', { name: 'Change vote' }).count()).toBe(0);

    // The others see it without a reload; Alice, who has not voted, keeps her radios; with a
    // voter, her Remove poll goes (only a moderator may remove it now).
    for (const p of [a, b2, g]) {
      await expect.poll(() => totalVoters(p), LIVE).toBe('Total voters: 1');
      expect(await rows(p)).toEqual([
        ['Vim', '0 votes', '0%', false],
        ['Emacs', '1 vote', '100%', false],
        ['VS Code', '0 votes', '0%', false],
      ]);
    }
    expect(await box(a).getByRole('radio').count()).toBe(3);
    await expect.poll(() => box(a).getByRole('button', { name: 'Remove poll' }).count(), LIVE).toBe(0);

    // Bob's second tab did not know he voted (pushes carry no one's choices): voting there is
    // refused, the refusal shows in the box, and the tab then shows his vote as it stands.
    expect(await box(b2).getByRole('radio').count()).toBe(3);
    await box(b2).getByRole('radio', { name: 'VS Code' }).check();
    await voteButton(b2).click();
    await expect.poll(() => alertIn(b2).textContent(), LIVE).toBe('You have already voted in this poll');
    await expect.poll(() => box(b2).getByRole('radio').count(), LIVE).toBe(0);
    expect(await rows(b2)).toEqual([
      ['Vim', '0 votes', '0%', false],
      ['Emacs', '1 vote', '100%', true],
      ['VS Code', '0 votes', '0%', false],
    ]);
    expect(await alertIn(b2).textContent()).toBe('You have already voted in this poll');
    expect(votesOf(await serverPoll(topicId))).toEqual([0, 1, 0]);

    // Alice votes Vim in her page; then Carol votes Emacs (over REST): every page follows.
    await box(a).getByRole('radio', { name: 'Vim' }).check();
    await voteButton(a).click();
    await expect.poll(() => rows(b1), LIVE).toEqual([
      ['Vim', '1 vote', '50%', false],
      ['Emacs', '1 vote', '50%', true],
      ['VS Code', '0 votes', '0%', false],
    ]);
    expect(await totalVoters(b1)).toBe('Total voters: 2');
    expect((await s.api('POST', `/topics/${topicId}/poll/vote`, { token: carol.token, body: { choices: [1] } })).status).toBe(200);
    const afterCarol: Record<string, Row[]> = {
      alice: [
        ['Vim', '1 vote', '33%', true],
        ['Emacs', '2 votes', '67%', false],
        ['VS Code', '0 votes', '0%', false],
      ],
      bob: [
        ['Vim', '1 vote', '33%', false],
        ['Emacs', '2 votes', '67%', true],
        ['VS Code', '0 votes', '0%', false],
      ],
      guest: [
        ['Vim', '1 vote', '33%', false],
        ['Emacs', '2 votes', '67%', false],
        ['VS Code', '0 votes', '0%', false],
      ],
    };
    for (const [p, who] of [[a, 'alice'], [b1, 'bob'], [b2, 'bob'], [g, 'guest']] as const) {
      await expect.poll(() => rows(p), LIVE).toEqual(afterCarol[who]);
      expect(await totalVoters(p)).toBe('Total voters: 3');
      expect(await notReloaded(p)).toBe(true);
    }
    await saveScreenshot(b1, 'poll-voted', { fullPage: true });

    // The forum listing marks the topic with a poll, and not the other one.
    await g.goto(`${s.url}/f/${forumId}`);
    const pollRow = g.locator(`tr[data-topic-id="${topicId}"]`);
    await pollRow.waitFor(LIVE);
    expect(await pollRow.locator('.badge.poll').textContent()).toBe('Poll');
    expect(await g.locator(`tr[data-topic-id="${plainTopicId}"] .badge.poll`).count()).toBe(0);

    // A moderator may remove a poll with votes (a second click confirms); it goes from every page
    // live, and Alice, the topic's author, may add one again.
    const m = await newPage();
    await logIn(m, mod, `/t/${topicId}`);
    await onTopic(m, topicId);
    // By its class: its name changes with the first click.
    const remove = box(m).locator('button.remove-poll');
    await remove.click();
    expect(await remove.textContent()).toBe('Really remove the poll?');
    expect(await serverPoll(topicId)).toBeDefined();
    await remove.click();
    for (const p of [m, a, b1]) await expect.poll(() => box(p).isHidden(), LIVE).toBe(true);
    expect((await s.api('GET', `/topics/${topicId}/poll`)).status).toBe(404);
    await expect.poll(() => a.getByRole('button', { name: 'Add a poll' }).isVisible(), LIVE).toBe(true);
    expect(await b1.getByRole('button', { name: 'Add a poll' }).count()).toBe(0);
    expect(await notReloaded(a)).toBe(true);
    await expect.poll(() => pollRow.locator('.badge.poll').count(), LIVE).toBe(0);
    for (const p of [a, b1, g, m]) await p.context().close();
  });

  it('lets the author add a poll to a topic, which appears live; votes change and are taken back; a closed poll refuses inline', { timeout: 90_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${plainTopicId}`);
    await onTopic(a, plainTopicId);
    const b = await newPage();
    await logIn(b, bob, `/t/${plainTopicId}`);
    await onTopic(b, plainTopicId);
    const listing = await newPage();
    await listing.goto(`${s.url}/f/${forumId}`);
    const listed = listing.locator(`tr[data-topic-id="${plainTopicId}"]`);
    await listed.waitFor(LIVE);
    await listing.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await listed.locator('.badge.poll').count()).toBe(0);
    // No poll: no box. Alice, its author, may add one; Bob may not.
    expect(await box(a).isHidden()).toBe(true);
    expect(await box(b).isHidden()).toBe(true);
    expect(await b.getByRole('button', { name: 'Add a poll' }).count()).toBe(0);
    for (const p of [a, b, listing]) await markPage(p);

    // Alice opens the form; it checks what she typed before sending.
    await a.getByRole('button', { name: 'Add a poll' }).click();
    const form = a.getByRole('form', { name: 'Add a poll' });
    await form.getByLabel('Poll question').fill('Pick two toppings');
    await form.getByLabel('Poll options', { exact: true }).fill('Cheese\nHam\nOlives\nPineapple');
    await form.getByLabel('Options per member').fill('5');
    await form.getByRole('button', { name: 'Add poll' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), LIVE).toBe('Options per member can be at most 4, the number of options.');
    await form.getByLabel('Options per member').fill('2');
    // Out of range: the browser's own check on the number field stops the form.
    const days = form.getByLabel('Closes in (days)');
    await days.fill('400');
    await form.getByRole('button', { name: 'Add poll' }).click();
    expect(await days.evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow)).toBe(true);
    expect((await s.api('GET', `/topics/${plainTopicId}/poll`)).status).toBe(404);
    await days.fill('7');
    await form.getByLabel('Allow members to change their vote').check();
    await form.getByRole('button', { name: 'Add poll' }).click();
    await box(a).waitFor(LIVE);
    expect(await form.isHidden()).toBe(true);
    const stored = await serverPoll(plainTopicId);
    expect(stored).toMatchObject({ question: 'Pick two toppings', maxChoices: 2, allowVoteChange: true, voterCount: 0 });

    // Bob's page shows it without a reload: four checkboxes, up to two.
    await box(b).waitFor(LIVE);
    expect(await box(b).getByRole('heading').textContent()).toBe('Pick two toppings');
    await expect.poll(() => box(b).getByRole('checkbox').count(), LIVE).toBe(4);
    expect(await box(b).getByRole('radio').count()).toBe(0);
    const notes = await box(b).locator('.poll-notes').textContent();
    expect(notes).toContain('Choose up to 2 options.');
    expect(notes).toContain('Closes ');
    expect(notes).toContain('Votes may be changed.');
    expect(await box(b).locator('.poll-closes time').getAttribute('datetime')).toBe(stored.closesAt);
    expect(await totalVoters(b)).toBe('Total voters: 0');
    // The listing marks it, live.
    await expect.poll(() => listed.locator('.badge.poll').count(), LIVE).toBe(1);

    // Two ticked: the others cannot be.
    const option = (p: Page, name: string) => box(p).getByRole('checkbox', { name });
    await option(b, 'Cheese').check();
    expect(await option(b, 'Ham').isEnabled()).toBe(true);
    await option(b, 'Pineapple').check();
    expect(await option(b, 'Ham').isDisabled()).toBe(true);
    expect(await option(b, 'Olives').isDisabled()).toBe(true);
    await option(b, 'Cheese').uncheck();
    expect(await option(b, 'Ham').isEnabled()).toBe(true);
    await option(b, 'Cheese').check();
    await saveScreenshot(b, 'poll-form', { fullPage: true });
    await voteButton(b).click();
    await expect.poll(() => rows(b), LIVE).toEqual([
      ['Cheese', '1 vote', '100%', true],
      ['Ham', '0 votes', '0%', false],
      ['Olives', '0 votes', '0%', false],
      ['Pineapple', '1 vote', '100%', true],
    ]);
    expect(await totalVoters(b)).toBe('Total voters: 1');
    expect(await box(b).getByRole('checkbox').count()).toBe(0);
    await expect.poll(() => rows(a), LIVE).toEqual([
      ['Cheese', '1 vote', '100%', false],
      ['Ham', '0 votes', '0%', false],
      ['Olives', '0 votes', '0%', false],
      ['Pineapple', '1 vote', '100%', false],
    ]);
    // With a voter, Alice may no longer remove her poll.
    await expect.poll(() => box(a).getByRole('button', { name: 'Remove poll' }).count(), LIVE).toBe(0);

    // Bob changes his vote: the form comes back with his choices ticked.
    await box(b).getByRole('button', { name: 'Change vote' }).click();
    expect(await option(b, 'Cheese').isChecked()).toBe(true);
    expect(await option(b, 'Pineapple').isChecked()).toBe(true);
    expect(await option(b, 'Ham').isDisabled()).toBe(true);
    await option(b, 'Cheese').uncheck();
    await option(b, 'Ham').check();
    await voteButton(b).click();
    await expect.poll(() => rows(b), LIVE).toEqual([
      ['Cheese', '0 votes', '0%', false],
      ['Ham', '1 vote', '100%', true],
      ['Olives', '0 votes', '0%', false],
      ['Pineapple', '1 vote', '100%', true],
    ]);
    await expect.poll(() => rows(a), LIVE).toEqual([
      ['Cheese', '0 votes', '0%', false],
      ['Ham', '1 vote', '100%', false],
      ['Olives', '0 votes', '0%', false],
      ['Pineapple', '1 vote', '100%', false],
    ]);
    expect(await totalVoters(a)).toBe('Total voters: 1');
    const changed = await serverPoll(plainTopicId, bob);
    expect(changed.myChoices).toEqual([1, 3]);

    // Alice votes too, then Bob takes his vote back.
    await option(a, 'Olives').check();
    await voteButton(a).click();
    await expect.poll(() => totalVoters(b), LIVE).toBe('Total voters: 2');
    expect(await rows(b)).toEqual([
      ['Cheese', '0 votes', '0%', false],
      ['Ham', '1 vote', '50%', true],
      ['Olives', '1 vote', '50%', false],
      ['Pineapple', '1 vote', '50%', true],
    ]);
    await box(b).getByRole('button', { name: 'Take back vote' }).click();
    await expect.poll(() => box(b).getByRole('checkbox').count(), LIVE).toBe(4);
    expect(await rows(b)).toEqual([
      ['Cheese', '0 votes', '0%', false],
      ['Ham', '0 votes', '0%', false],
      ['Olives', '1 vote', '100%', false],
      ['Pineapple', '0 votes', '0%', false],
    ]);
    expect(await totalVoters(b)).toBe('Total voters: 1');
    await expect.poll(() => rows(a), LIVE).toEqual([
      ['Cheese', '0 votes', '0%', false],
      ['Ham', '0 votes', '0%', false],
      ['Olives', '1 vote', '100%', true],
      ['Pineapple', '0 votes', '0%', false],
    ]);
    await saveScreenshot(a, 'poll-multiple', { fullPage: true });

    // The poll closes while Bob's page still offers the form (here: its closing time moved into
    // the past in the database, which pushes nothing): his vote is refused in the box, and the
    // box then says it closed.
    await s.models.Poll.updateOne({ _id: stored.id }, { $set: { closesAt: new Date(Date.now() - 60_000) } });
    expect(await box(b).getByRole('checkbox').count()).toBe(4);
    await option(b, 'Cheese').check();
    await voteButton(b).click();
    await expect.poll(() => alertIn(b).textContent(), LIVE).toBe('This poll has closed');
    await expect.poll(() => box(b).getByRole('checkbox').count(), LIVE).toBe(0);
    expect(await box(b).locator('.poll-closed').textContent()).toBe('Closed');
    expect(await totalVoters(b)).toBe('Total voters: 1');
    expect(votesOf(await serverPoll(plainTopicId))).toEqual([0, 0, 1, 0]);

    // With a voter in it, the poll is no longer Alice's to remove; a moderator removes it, and it
    // goes from both pages live.
    const refused = await s.api('DELETE', `/topics/${plainTopicId}/poll`, { token: alice.token });
    expect(refused.status).toBe(403);
    expect((await s.api('DELETE', `/topics/${plainTopicId}/poll`, { token: mod.token })).status).toBe(200);
    await expect.poll(() => box(b).isHidden(), LIVE).toBe(true);
    await expect.poll(() => box(a).isHidden(), LIVE).toBe(true);
    await expect.poll(() => a.getByRole('button', { name: 'Add a poll' }).isVisible(), LIVE).toBe(true);

    // Added again over REST: it appears live; Alice, with no votes in it, removes it herself.
    const again = await s.api('POST', `/topics/${plainTopicId}/poll`, { token: alice.token, body: { question: 'Friday or Saturday?', options: ['Friday', 'Saturday'] } });
    expect(again.status).toBe(201);
    for (const p of [a, b]) {
      await expect.poll(() => box(p).getByRole('heading').textContent(), LIVE).toBe('Friday or Saturday?');
      await expect.poll(() => box(p).getByRole('radio').count(), LIVE).toBe(2);
    }
    const remove = box(a).locator('button.remove-poll');
    expect(await remove.textContent()).toBe('Remove poll');
    await remove.click();
    expect(await remove.textContent()).toBe('Really remove the poll?');
    await remove.click();
    await expect.poll(() => box(a).isHidden(), LIVE).toBe(true);
    await expect.poll(() => box(b).isHidden(), LIVE).toBe(true);
    expect((await s.api('GET', `/topics/${plainTopicId}/poll`)).status).toBe(404);
    await expect.poll(() => listed.locator('.badge.poll').count(), LIVE).toBe(0);
    for (const p of [a, b, listing]) expect(await notReloaded(p)).toBe(true);
    for (const p of [a, b, listing]) await p.context().close();
  });

  it('hides the totals of a poll shown when it closes; the author closes it (totals appear live) and reopens it (hidden again)', { timeout: 90_000 }, async () => {
    // Alice starts a topic whose poll shows its results when it closes.
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).click();
    const form = a.getByRole('form', { name: 'Post a new topic' });
    await form.getByLabel('Subject').fill('Next meetup');
    await form.getByLabel('Message').fill('Where shall we meet?');
    await form.locator('summary', { hasText: 'Add a poll' }).click();
    await form.getByLabel('Poll question').fill('Where?');
    await form.getByLabel('Poll options', { exact: true }).fill('Library\nPark\nCafé');
    const show = form.getByLabel('Show results');
    expect(await show.inputValue()).toBe('always');
    await show.selectOption({ label: 'When the poll closes' });
    await form.getByRole('button', { name: 'Submit' }).click();
    await a.waitForURL(/\/t\/[0-9a-f]{24}$/, LIVE);
    const topicId = a.url().split('/t/')[1];
    const stored = await serverPoll(topicId, alice);
    expect(stored).toMatchObject({ question: 'Where?', results: 'closed', closed: false, voterCount: 0, may: { vote: true, close: true } });
    expect(votesOf(stored)).toEqual([null, null, null]);

    await onTopic(a, topicId);
    await box(a).waitFor(LIVE);
    expect(await box(a).getByRole('radio').count()).toBe(3);
    expect(await totalVoters(a)).toBe('Results are shown when the poll closes · 0 voters');
    expect(await visibleBars(a)).toBe(0);
    expect(await closeButton(a).isVisible()).toBe(true);
    expect(await reopenButton(a).count()).toBe(0);
    await markPage(a);

    // Bob votes in his browser; Carol watches without voting.
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await onTopic(b, topicId);
    const c = await newPage();
    await logIn(c, carol, `/t/${topicId}`);
    await onTopic(c, topicId);
    for (const p of [b, c]) {
      await box(p).waitFor(LIVE);
      expect(await closeButton(p).count()).toBe(0);
      await markPage(p);
    }
    await box(b).getByRole('radio', { name: 'Park' }).check();
    await voteButton(b).click();
    await expect.poll(() => box(b).getByRole('radio').count(), LIVE).toBe(0);
    // His choice is marked; no page shows totals, shares or bars, only that one has voted.
    expect(await rows(b)).toEqual([
      ['Library', '', '', false],
      ['Park', '', '', true],
      ['Café', '', '', false],
    ]);
    expect(await box(b).locator('.poll-mine').textContent()).toBe('✓ Your choice');
    expect(await totalVoters(b)).toBe('Results are shown when the poll closes · 1 voter');
    expect(await visibleBars(b)).toBe(0);
    for (const p of [a, c]) {
      await expect.poll(() => totalVoters(p), LIVE).toBe('Results are shown when the poll closes · 1 voter');
      expect(await rows(p)).toEqual([
        ['Library', '', '', false],
        ['Park', '', '', false],
        ['Café', '', '', false],
      ]);
      expect(await visibleBars(p)).toBe(0);
      expect(await box(p).getByRole('radio').count()).toBe(3);
    }
    expect(votesOf(await serverPoll(topicId))).toEqual([null, null, null]);

    // Alice closes it: every page shows the totals and that it closed, the others without a reload.
    await closeButton(a).click();
    const revealed = (mine: boolean): Row[] => [
      ['Library', '0 votes', '0%', false],
      ['Park', '1 vote', '100%', mine],
      ['Café', '0 votes', '0%', false],
    ];
    for (const [p, mine] of [[a, false], [b, true], [c, false]] as const) {
      await expect.poll(() => rows(p), LIVE).toEqual(revealed(mine));
      expect(await totalVoters(p)).toBe('Total voters: 1');
      expect(await box(p).locator('.poll-closed').textContent()).toBe('Closed');
      expect(await visibleBars(p)).toBe(3);
      expect(await box(p).getByRole('radio').count()).toBe(0);
    }
    expect(await closeButton(a).count()).toBe(0);
    expect(await reopenButton(a).isVisible()).toBe(true);
    expect(await alertIn(a).count()).toBe(0);
    for (const p of [b, c]) expect(await reopenButton(p).count()).toBe(0);
    const closed = await serverPoll(topicId);
    expect(closed.closed).toBe(true);
    expect(votesOf(closed)).toEqual([0, 1, 0]);
    await saveScreenshot(a, 'poll-closed-results', { fullPage: true });
    // Carol opens a second tab now: the server tells it she may not vote (it is closed).
    const c2 = await c.context().newPage();
    watch(c2);
    await onTopic(c2, topicId);
    await expect.poll(() => rows(c2), LIVE).toEqual(revealed(false));
    expect(await box(c2).getByRole('radio').count()).toBe(0);
    await markPage(c2);

    // She reopens it: open again, the totals hidden again in every page; Alice and Carol, who
    // have not voted, may vote again (Carol's tabs, told only by the push, ask for her own view).
    await reopenButton(a).click();
    for (const [p, mine] of [[a, false], [b, true], [c, false], [c2, false]] as const) {
      await expect.poll(() => totalVoters(p), LIVE).toBe('Results are shown when the poll closes · 1 voter');
      await expect.poll(() => box(p).locator('.poll-closed').count(), LIVE).toBe(0);
      expect(await visibleBars(p)).toBe(0);
      expect((await rows(p)).map(([text, votes, share]) => [text, votes, share])).toEqual([
        ['Library', '', ''],
        ['Park', '', ''],
        ['Café', '', ''],
      ]);
      if (mine) expect((await rows(p))[1][3]).toBe(true);
    }
    for (const p of [a, c, c2]) await expect.poll(() => box(p).getByRole('radio').count(), LIVE).toBe(3);
    expect(await box(b).getByRole('radio').count()).toBe(0);
    expect(await closeButton(a).isVisible()).toBe(true);
    expect(await reopenButton(a).count()).toBe(0);
    const reopened = await serverPoll(topicId);
    expect(reopened).toMatchObject({ closed: false, voterCount: 1 });
    expect(reopened.closesAt).toBeUndefined();
    expect(votesOf(reopened)).toEqual([null, null, null]);
    for (const p of [a, b, c, c2]) expect(await notReloaded(p)).toBe(true);
    for (const p of [a, b, c]) await p.context().close();
  });

  it('gives Close poll only to the author and moderators; a refusal shows in the box', { timeout: 60_000 }, async () => {
    const topicId = (await s.topic(forumId, alice, { title: 'Board games', body: 'Which one first?', poll: { question: 'First game?', options: ['Chess', 'Go'] } })).topic.id;

    // Carol, neither author nor moderator, has no Close poll, open or closed; the server refuses her too.
    const c = await newPage();
    await logIn(c, carol, `/t/${topicId}`);
    await onTopic(c, topicId);
    await box(c).waitFor(LIVE);
    expect(await box(c).getByRole('radio').count()).toBe(2);
    expect(await closeButton(c).count()).toBe(0);
    expect(await reopenButton(c).count()).toBe(0);
    expect((await s.api('POST', `/topics/${topicId}/poll/close`, { token: carol.token })).status).toBe(403);
    // A moderator has it.
    const m = await newPage();
    await logIn(m, mod, `/t/${topicId}`);
    await onTopic(m, topicId);
    await box(m).waitFor(LIVE);
    expect(await closeButton(m).isVisible()).toBe(true);

    // Alice's page offers Close poll; her topic is locked meanwhile without her page hearing
    // of it (in the database, which pushes nothing): the refusal shows in the box, and the
    // button goes once the page has read the poll again.
    const a = await newPage();
    let pollReads = 0;
    a.on('requestfinished', (r) => void (r.url().endsWith(`/topics/${topicId}/poll`) && pollReads++));
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);
    await box(a).waitFor(LIVE);
    // The page reads the poll again once its topic subscription is made: that read must be over
    // before the lock, or (on a slow machine) it brings the lock and the button goes unclicked.
    await expect.poll(() => pollReads, LIVE).toBeGreaterThan(0);
    expect(await closeButton(a).isVisible()).toBe(true);
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { locked: true } });
    await closeButton(a).click();
    await expect.poll(() => alertIn(a).textContent(), LIVE).toBe('This topic is locked');
    await expect.poll(() => closeButton(a).count(), LIVE).toBe(0);
    expect((await serverPoll(topicId)).closed).toBe(false);

    // The moderator closes it: Carol's page shows it closed, still with no Reopen poll.
    await closeButton(m).click();
    await expect.poll(() => box(c).locator('.poll-closed').count(), LIVE).toBe(1);
    expect(await box(c).getByRole('radio').count()).toBe(0);
    expect(await totalVoters(c)).toBe('Total voters: 0');
    expect(await reopenButton(c).count()).toBe(0);
    expect(await closeButton(c).count()).toBe(0);
    await expect.poll(() => reopenButton(m).isVisible(), LIVE).toBe(true);
    for (const p of [a, c, m]) await p.context().close();
  });

  it('shows the hidden totals once the poll’s time runs out, though nothing is pushed then', { timeout: 60_000 }, async () => {
    const topicId = (await s.topic(forumId, alice, { title: 'Lunch order', body: 'Soup or salad?', poll: { question: 'Soup or salad?', options: ['Soup', 'Salad'], results: 'closed' } })).topic.id;
    expect((await s.api('POST', `/topics/${topicId}/poll/vote`, { token: bob.token, body: { choices: [1] } })).status).toBe(200);
    // It ends in a few seconds (set in the database, which pushes nothing); a guest's page loads it.
    await s.models.Poll.updateOne({ _id: (await serverPoll(topicId)).id }, { $set: { closesAt: new Date(Date.now() + 3_000) } });
    const g = await newPage();
    await onTopic(g, topicId);
    await box(g).waitFor(LIVE);
    expect(await totalVoters(g)).toBe('Results are shown when the poll closes · 1 voter');
    expect(await visibleBars(g)).toBe(0);
    expect(await box(g).locator('.poll-closes').textContent()).toContain('Closes ');
    await markPage(g);
    // Its time runs out: the page closes it by its clock, then reads the totals.
    await expect.poll(() => rows(g), { timeout: 10_000 }).toEqual([
      ['Soup', '0 votes', '0%', false],
      ['Salad', '1 vote', '100%', false],
    ]);
    expect(await totalVoters(g)).toBe('Total voters: 1');
    expect(await box(g).locator('.poll-closed').textContent()).toBe('Closed');
    expect(await visibleBars(g)).toBe(2);
    expect(await notReloaded(g)).toBe(true);
    await g.context().close();
  });
});
