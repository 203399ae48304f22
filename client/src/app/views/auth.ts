import { Limits } from '../../../../shared/limits.js';
import { RestClient, type Session } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { busy, explain, field, formError } from '../components/form.js';

/** Where to go after signing in: the `next` the sign-in redirect carried, if it is a local path. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function authPage(title: string, intro: string, form: HTMLFormElement, footer: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: 'auth' },
    h(
      'div',
      { class: 'auth-card card' },
      h('h1', { tabindex: '-1' }, title),
      h('p', { class: 'muted' }, intro),
      form,
      footer,
    ),
  );
}

export function signInView(ctx: AppContext): View {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, 'data-testid': 'signin-email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'signin-password' });
  const error = formError('signin-error');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field('Email', email),
    field('Password', password),
    error,
    h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'signin-submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    void busy(form, async () => {
      try {
        const session = await new RestClient().login({ email: email.value, password: password.value });
        ctx.signIn(session, nextPath());
      } catch (err) {
        error.show(explain(err, { UNAUTHENTICATED: 'Wrong email or password.' }));
        password.select();
      }
    });
  });
  const footer = h('p', { class: 'auth-switch' }, 'New to Menteo? ', h('a', { href: `/signup${location.search}`, 'data-testid': 'to-signup' }, 'Create an account'));
  return { title: 'Sign in', el: authPage('Sign in', 'Welcome back. Your rooms are waiting.', form, footer) };
}

export function signUpView(ctx: AppContext): View {
  const name = h('input', { type: 'text', name: 'displayName', autocomplete: 'name', required: true, maxlength: Limits.displayName, 'data-testid': 'signup-name' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, 'data-testid': 'signup-email' });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: Limits.passwordMin,
    'data-testid': 'signup-password',
  });
  const mentoring = h('input', { type: 'checkbox', name: 'mentoring', id: 'signup-mentoring', 'data-testid': 'signup-mentoring' });
  const error = formError('signup-error');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field('Your name', name, 'Shown to the people you mentor or learn from.'),
    field('Email', email),
    field('Password', password, `At least ${Limits.passwordMin} characters.`),
    h('div', { class: 'check' }, mentoring, h('label', { for: 'signup-mentoring' }, 'I would like to mentor others')),
    error,
    h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'signup-submit' }, 'Create account'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    void busy(form, async () => {
      try {
        const rest = new RestClient();
        let session: Session = await rest.register({ email: email.value, password: password.value, displayName: name.value });
        // The profile starts with defaults: record the choice and this device's time zone.
        rest.setToken(session.token);
        const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        const user = await rest.updateProfile({ mentoring: mentoring.checked, ...(timezone && { timezone }) }).catch(() => null);
        if (user) session = { ...session, user };
        ctx.signIn(session, nextPath());
      } catch (err) {
        error.show(explain(err, { CONFLICT: 'That email is already registered. Sign in instead?' }));
      }
    });
  });
  const footer = h('p', { class: 'auth-switch' }, 'Already have an account? ', h('a', { href: `/signin${location.search}`, 'data-testid': 'to-signin' }, 'Sign in'));
  return { title: 'Create account', el: authPage('Create your account', 'One persistent room for each mentorship.', form, footer) };
}
