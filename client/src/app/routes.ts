import type { Route } from './router.js';
import { signInView, signUpView } from './views/auth.js';
import { feedView } from './views/feed.js';
import { homeView } from './views/home.js';
import { landingView } from './views/landing.js';
import { mentorsView } from './views/mentors.js';
import { notificationsView } from './views/notifications.js';
import { personView } from './views/person.js';
import { profileView } from './views/profile.js';
import { roomView } from './views/room.js';
import { threadPageView } from './views/thread.js';

/** Every screen of the app, one view each. */
export const routes: Route[] = [
  { path: '/welcome', access: 'guest', view: landingView },
  { path: '/signin', access: 'guest', view: signInView },
  { path: '/signup', access: 'guest', view: signUpView },
  { path: '/', access: 'member', view: homeView },
  { path: '/rooms/:id', access: 'member', view: roomView },
  // The room's other tabs (stage, contract, roadmap, threads, record): the same view, updated in place.
  { path: '/rooms/:id/:tab', access: 'member', view: roomView },
  { path: '/mentors', access: 'member', view: mentorsView },
  { path: '/profile', access: 'member', view: profileView },
  { path: '/people/:id', access: 'member', view: personView },
  { path: '/feed', access: 'member', view: feedView },
  { path: '/notifications', access: 'member', view: notificationsView },
  { path: '/threads/:threadId', access: 'member', view: threadPageView },
];
