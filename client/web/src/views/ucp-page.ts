import type { UserCard } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { onSubmit } from './submit.js';
import type { ListedMember } from '../live/member-list.js';
import { ignoredMembers } from './ignored-members.js';
import { ucpFriends } from './ucp-friends.js';
import { avatarUpload } from './avatar-upload.js';
import { ucpAttachments } from './ucp-attachments.js';
import { ucpWarnings } from './ucp-warnings.js';

/** What `GET /users/me` answers: the member's card and the settings only they see. */
interface OwnProfile {
  user: UserCard;
  hidden: boolean;
  /** The members they ignore, by name. */
  ignoring: ListedMember[];
  /** Their friends, by name. */
  friends: ListedMember[];
}

/**
 * phpBB's User Control Panel, in two forms: the profile (location, avatar, signature, custom
 * fields, hidden from who-is-online) and the password. Saved through `PATCH /users/me` and
 * `POST /auth/password`; everything the server refuses is shown as it says it. Between them,
 * one's friends, each with Remove, the members one ignores (phpBB's foes), each with Stop
 * ignoring, and one's uploaded files.
 * Members (staff cannot be warned) see their warnings after their profile.
 */
export function ucpPage(ctx: WebContext, main: HTMLElement): Page {
  let alive = true;
  ctx.setPlace('User Control Panel', [{ label: 'Board index', href: paths.board() }, { label: 'User Control Panel' }]);
  if (!ctx.session) {
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'User Control Panel'),
      h('p', { class: 'panel' }, h('a', { href: paths.login(paths.ucp()) }, 'Log in'), ' to change your profile and settings.'),
    );
    return { dispose() {} };
  }
  replaceChildren(main, loading());
  let stopIgnored = () => {};
  let stopFriends = () => {};
  let stopAttachments = () => {};
  let stopWarnings = () => {};

  void (async () => {
    try {
      const own = await ctx.api.get<OwnProfile>('/users/me');
      if (!alive) return;
      ctx.ignoreList.replace(own.ignoring);
      ctx.friendList.replace(own.friends);
      const friends = ucpFriends(ctx.friendList);
      stopFriends = friends.dispose;
      const ignored = ignoredMembers(ctx.ignoreList);
      stopIgnored = ignored.dispose;
      const attachments = ucpAttachments(ctx.api);
      stopAttachments = attachments.dispose;
      const warnings = own.user.role === 'member' ? ucpWarnings(ctx.api, own.user.id) : null;
      if (warnings) stopWarnings = warnings.dispose;
      replaceChildren(main, h('h1', { class: 'page-title' }, 'User Control Panel'), profileForm(ctx, own), warnings?.el ?? null, friends.el, ignored.el, attachments.el, passwordForm(ctx));
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  return {
    dispose() {
      alive = false;
      stopFriends();
      stopIgnored();
      stopAttachments();
      stopWarnings();
    },
  };
}

function profileForm(ctx: WebContext, own: OwnProfile): HTMLElement {
  const { user } = own;
  const location = h('input', { id: 'ucp-location', name: 'location', maxlength: LIMITS.locationMax, value: user.location ?? '' });
  // Text, not type=url: one's own uploads are site paths (/attachments/<id>).
  const avatarUrl = h('input', { id: 'ucp-avatar', name: 'avatarUrl', inputmode: 'url', maxlength: LIMITS.avatarUrlMax, value: user.avatarUrl ?? '', placeholder: 'https://…, or upload an image' });
  const signature = h('textarea', { id: 'ucp-signature', name: 'signature', rows: 4, maxlength: LIMITS.signatureMax });
  signature.value = user.signature ?? '';
  const hidden = h('input', { id: 'ucp-hidden', name: 'hidden', type: 'checkbox', class: 'checkbox' });
  hidden.checked = own.hidden;
  const fields = fieldRows(user.fields ?? {});
  const { status, error, save } = outcome('Save profile');
  const form = h(
    'form',
    { class: 'panel ucp-profile', 'aria-labelledby': 'ucp-profile-heading' },
    h('h2', { id: 'ucp-profile-heading' }, 'Edit profile'),
    h('p', null, 'Shown on your profile card beside each of your posts. ', h('a', { href: paths.member(user.id) }, 'View your profile')),
    h('label', { for: location.id }, 'Location'),
    location,
    h('label', { for: avatarUrl.id }, 'Avatar URL'),
    avatarUrl,
    avatarUpload(avatarUrl, ctx.api),
    h('label', { for: signature.id }, 'Signature'),
    signature,
    h('p', { class: 'hint' }, 'BBCode and Markdown both work.'),
    h('fieldset', { class: 'ucp-fields' }, h('legend', null, 'Custom fields'), fields.el),
    h('label', { class: 'checkbox-label', for: hidden.id }, hidden, ' Hide my online status'),
    h('p', { class: 'hint' }, 'Hidden members are counted in who is online but not named (moderators still see them).'),
    status,
    error,
    h('div', { class: 'form-actions' }, save),
  );
  onSubmit(form, { button: save, error, fallback: 'Your profile was not saved' }, () => {
    status.hidden = true;
    return ctx.api
      .request<OwnProfile>('PATCH', '/users/me', {
        location: location.value.trim() || null,
        avatarUrl: avatarUrl.value.trim() || null,
        signature: signature.value.trim() || null,
        fields: fields.read(),
        hidden: hidden.checked,
      })
      .then((saved) => {
        ctx.ignoreList.replace(saved.ignoring);
        ctx.friendList.replace(saved.friends);
        status.textContent = 'Your profile has been updated.';
        status.hidden = false;
      });
  });
  return form;
}

/** A form's submit button and where it says how the submit went: saved, or the server's refusal. */
function outcome(label: string) {
  return {
    status: h('p', { class: 'notice saved', role: 'status', hidden: true }),
    error: h('p', { class: 'form-error', role: 'alert', hidden: true }),
    save: h('button', { type: 'submit', class: 'button primary' }, label),
  };
}

/** Name and value inputs for each custom field, plus blank rows up to the limit. */
function fieldRows(current: Record<string, string>) {
  const entries = Object.entries(current);
  const count = Math.min(LIMITS.fieldsMax, entries.length + 2);
  const rows = Array.from({ length: count }, (_, i) => {
    const [key, value] = entries[i] ?? ['', ''];
    const name = h('input', { name: 'field-name', 'aria-label': `Field ${i + 1} name`, maxlength: LIMITS.fieldKeyMax, value: key, placeholder: 'Name' });
    const text = h('input', { name: 'field-value', 'aria-label': `Field ${i + 1} value`, maxlength: LIMITS.fieldValueMax, value, placeholder: 'Value' });
    return { name, text, el: h('div', { class: 'field-row' }, name, text) };
  });
  return {
    el: h('div', null, rows.map((r) => r.el)),
    /** The fields as the server takes them: rows with a name, or null when there are none. */
    read(): Record<string, string> | null {
      const out: Record<string, string> = {};
      for (const r of rows) if (r.name.value.trim()) out[r.name.value.trim()] = r.text.value.trim();
      return Object.keys(out).length ? out : null;
    },
  };
}

function passwordForm(ctx: WebContext): HTMLElement {
  const input = (id: string, autocomplete: string) =>
    h('input', { id, type: 'password', autocomplete, required: true, minlength: id === 'ucp-current' ? false : LIMITS.passwordMin, maxlength: LIMITS.passwordMax });
  const current = input('ucp-current', 'current-password');
  const next = input('ucp-new', 'new-password');
  const confirm = input('ucp-confirm', 'new-password');
  const { status, error, save } = outcome('Change password');
  const form = h(
    'form',
    { class: 'panel ucp-password', 'aria-labelledby': 'ucp-password-heading' },
    h('h2', { id: 'ucp-password-heading' }, 'Change password'),
    h('p', { class: 'hint' }, 'Your other sessions are signed out.'),
    h('label', { for: current.id }, 'Current password'),
    current,
    h('label', { for: next.id }, 'New password'),
    next,
    h('label', { for: confirm.id }, 'Confirm new password'),
    confirm,
    status,
    error,
    h('div', { class: 'form-actions' }, save),
  );
  onSubmit(form, { button: save, error, fallback: 'Your password was not changed' }, () => {
    status.hidden = true;
    if (next.value !== confirm.value) return Promise.reject(new Error('The new passwords do not match.'));
    const session = ctx.session;
    if (!session) return Promise.reject(new Error('Log in again first.'));
    return ctx.api.request<{ token: string }>('POST', '/auth/password', { currentPassword: current.value, newPassword: next.value }).then(({ token }) => {
      // Every older token is revoked, this page's included: carry on with the new one. The old
      // socket may have been refused before this answer came (the page then went to a guest's
      // view): show the page again, as the member.
      ctx.login({ ...session, token });
      if (!form.isConnected) {
        ctx.navigate(paths.ucp(), { replace: true });
        ctx.notify('Your password has been changed.');
        return;
      }
      for (const el of [current, next, confirm]) el.value = '';
      status.textContent = 'Your password has been changed.';
      status.hidden = false;
    });
  });
  return form;
}
