import type { AppContext } from './context.js';

/** What a route renders into the main area. `destroy` runs when the user navigates away. */
export interface View {
  el: HTMLElement;
  /** Document title (without the app name). */
  title: string;
  destroy?(): void;
  /**
   * Called instead of rebuilding when the same route matches again with new params (a room's
   * tabs, /rooms/:id → /rooms/:id/roadmap). Return false to be rebuilt after all (e.g. another id).
   * A view may update its `title` here.
   */
  update?(params: Record<string, string>): boolean;
}

/** A screen: a path pattern (`/rooms/:id`), who may see it, and the function that builds its view. */
export interface Route {
  path: string;
  /** `guest`: only when signed out (sign-in forms); `member`: only when signed in. */
  access: 'guest' | 'member';
  view(ctx: AppContext, params: Record<string, string>): View;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for a pathname; `:name` segments become params. */
export function matchRoute(routes: readonly Route[], pathname: string): Match | null {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const route of routes) {
    const pattern = route.path.replace(/\/+$/, '').split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return part.length > 0;
      }
      return seg === part;
    });
    if (ok) return { route, params };
  }
  return null;
}

/**
 * History-API routing: same-origin link clicks and back/forward call `onChange` with the new
 * location instead of loading a page. Links opt out with `target` or `download`, or by being
 * modified clicks (new tab).
 */
export function startRouting(onChange: (location: URL) => void): { navigate(path: string, opts?: { replace?: boolean }): void } {
  const navigate = (path: string, opts: { replace?: boolean } = {}) => {
    const url = new URL(path, location.href);
    if (opts.replace) history.replaceState(null, '', url);
    else if (url.href !== location.href) history.pushState(null, '', url);
    onChange(url);
  };
  addEventListener('popstate', () => onChange(new URL(location.href)));
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  return { navigate };
}
