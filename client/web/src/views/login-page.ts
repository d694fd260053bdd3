import type { UserCard } from '../../../sdk/index.js';
import { ForumError } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';

/** Log in (or register) and go back where the member came from. */
export function loginPage(ctx: WebContext, main: HTMLElement, next: string, register = false): Page {
  const title = register ? 'Register' : 'Log in';
  ctx.setPlace(title, [{ label: 'Board index', href: paths.board() }, { label: title }]);
  const login = credentialsForm('login', 'Log in', 'current-password', async (username, password) => {
    const res = await ctx.api.request<{ user: UserCard; token: string }>('POST', '/auth/login', { username, password });
    done(res);
  });
  const registerForm = credentialsForm('register', 'Register', 'new-password', async (username, password) => {
    const res = await ctx.api.request<{ user: UserCard; token: string }>('POST', '/auth/register', { username, password });
    done(res);
  });

  function done({ user, token }: { user: UserCard; token: string }): void {
    ctx.login({ token, user: { id: user.id, username: user.username, role: user.role } });
    ctx.navigate(next, { replace: true });
  }

  replaceChildren(main, h('h1', { class: 'page-title' }, title), h('div', { class: 'login-grid' }, login, registerForm));
  main.querySelector<HTMLInputElement>(register ? '#register-username' : '#login-username')?.focus();
  return { dispose() {} };
}

function credentialsForm(id: string, title: string, autocomplete: string, submitTo: (username: string, password: string) => Promise<void>): HTMLElement {
  const username = h('input', { id: `${id}-username`, name: 'username', autocomplete: 'username', required: true, maxlength: 32 });
  const password = h('input', { id: `${id}-password`, name: 'password', type: 'password', autocomplete, required: true, minlength: id === 'register' ? 8 : false });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'button primary' }, title);
  const form = h(
    'form',
    { class: 'panel credentials', 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, title),
    h('label', { for: username.id }, 'Username'),
    username,
    h('label', { for: password.id }, 'Password'),
    password,
    error,
    h('div', { class: 'form-actions' }, button),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await submitTo(username.value.trim(), password.value);
    } catch (err) {
      error.textContent = err instanceof ForumError && err.code === 'UNAUTHORIZED' ? 'Wrong username or password.' : err instanceof Error ? err.message : 'Could not log in';
      error.hidden = false;
      button.disabled = false;
    }
  });
  return form;
}
