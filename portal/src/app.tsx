import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from './components/error-box.js';
import { Application } from './pages/application.js';
import { Applications } from './pages/applications.js';
import { Audit } from './pages/audit.js';
import { Home } from './pages/home.js';
import { Iam } from './pages/iam.js';
import { Posture } from './pages/posture.js';
import { ResourceBlade } from './pages/account.js';
import { href, useRoute } from './router.js';
import { onSessionChange, signOut } from './session.js';

/** The shell: a skip link, the top bar and navigation, and the page the address names; or how to sign in. */
export function App({ initiallySignedIn, signInError }: { initiallySignedIn: boolean; signInError: unknown }) {
  const [signedIn, setSignedIn] = useState(initiallySignedIn);
  const [error, setError] = useState<unknown>(signInError);
  useEffect(
    () =>
      onSessionChange((now, why) => {
        setSignedIn(now);
        if (why !== undefined) setError(why);
      }),
    [],
  );
  const route = useRoute();
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Keyless</span>
        {signedIn && (
          <nav aria-label="Main">
            <a href={href.home()} aria-current={route.page === 'home' ? 'page' : undefined}>
              Resource groups
            </a>
            <a href={href.applications()} aria-current={route.page === 'applications' || route.page === 'application' ? 'page' : undefined}>
              Applications
            </a>
            <a href={href.audit()} aria-current={route.page === 'audit' ? 'page' : undefined}>
              Audit
            </a>
            <a href={href.posture()} aria-current={route.page === 'posture' ? 'page' : undefined}>
              Posture
            </a>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {!signedIn ? (
          <section aria-labelledby="signin-title" class="signin">
            <h1 id="signin-title">Sign in to Keyless</h1>
            <ErrorBox error={error} />
            <p>
              Run <code>keyless portal</code> (or <code>keyless portal --open</code>) and open the one-time link it prints. A link works once, for 2 minutes; the session lives in this
              tab only and ends when you close it.
            </p>
          </section>
        ) : route.page === 'audit' ? (
          <Audit />
        ) : route.page === 'posture' ? (
          <Posture />
        ) : route.page === 'applications' ? (
          <Applications />
        ) : route.page === 'application' ? (
          <Application objectId={route.id} />
        ) : route.page === 'iam' ? (
          <section aria-labelledby="iam-title">
            <p class="breadcrumb">
              <a href={href.home()}>Home</a>
            </p>
            <h1 id="iam-title">Access control (IAM)</h1>
            <p class="muted">
              <code>{route.scope}</code>
            </p>
            <Iam scope={route.scope} />
          </section>
        ) : route.page === 'resource' ? (
          <ResourceBlade id={route.id} tab={route.tab} />
        ) : (
          <Home />
        )}
      </main>
    </>
  );
}
