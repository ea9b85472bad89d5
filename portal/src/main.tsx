import { render } from 'preact';
import { App } from './app.js';
import { signIn, takeSignInLink } from './session.js';

/** Exchanges a sign-in link's code first (once: the address loses it at once), then renders the portal. */
async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  const link = takeSignInLink();
  let signedIn = false;
  let error: unknown = undefined;
  if (link !== undefined) {
    try {
      await signIn(link);
      signedIn = true;
    } catch (e) {
      error = e;
    }
  }
  root.replaceChildren();
  render(<App initiallySignedIn={signedIn} signInError={error} />, root);
}

void start();
