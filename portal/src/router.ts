import { useEffect, useState } from 'preact/hooks';

/** The portal's pages, in the address's fragment (`#/`, `#/resource/{ARM id}`, `#/iam/{ARM id}`, `#/audit`, `#/posture`, `#/applications[/{object id}]`). */
export type Route =
  | { page: 'home' }
  | { page: 'resource'; id: string; tab: string }
  | { page: 'iam'; scope: string }
  | { page: 'audit' }
  | { page: 'posture' }
  | { page: 'applications' }
  | { page: 'application'; id: string };

export function parseRoute(hash: string): Route {
  const path = decodeURIComponent(hash.replace(/^#/, ''));
  if (path === '/audit') return { page: 'audit' };
  if (path === '/posture') return { page: 'posture' };
  if (path === '/applications') return { page: 'applications' };
  const application = /^\/applications\/([0-9a-fA-F-]{36})$/.exec(path);
  if (application?.[1]) return { page: 'application', id: application[1] };
  const iam = /^\/iam(\/subscriptions\/.+)$/.exec(path);
  if (iam?.[1]) return { page: 'iam', scope: iam[1] };
  const resource = /^\/resource(\/subscriptions\/[^?]+)(?:\?tab=(\w+))?$/.exec(path);
  if (resource?.[1]) return { page: 'resource', id: resource[1], tab: resource[2] ?? 'overview' };
  return { page: 'home' };
}

export const href = {
  home: () => '#/',
  audit: () => '#/audit',
  posture: () => '#/posture',
  applications: () => '#/applications',
  application: (objectId: string) => `#/applications/${objectId}`,
  iam: (scope: string) => `#/iam${scope}`,
  resource: (id: string, tab?: string) => `#/resource${id}${tab === undefined ? '' : `?tab=${tab}`}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
