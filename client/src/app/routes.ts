import type { Route } from './router.js';
import { homeView } from './views/home.js';
import { roomView } from './views/room.js';
import { signInView, signUpView } from './views/auth.js';

/**
 * Every screen of the app, one view each. A later feature adds its screen here
 * (e.g. `{ path: '/rooms/:id/roadmap', access: 'member', view: roadmapView }`).
 */
export const routes: Route[] = [
  { path: '/signin', access: 'guest', view: signInView },
  { path: '/signup', access: 'guest', view: signUpView },
  { path: '/', access: 'member', view: homeView },
  { path: '/rooms/:id', access: 'member', view: roomView },
];
