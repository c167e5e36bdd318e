import { decodeError, session } from '../api';
import { auth } from './auth.svelte';

/** Decides the first screen: create a practice, sign in, or carry on. */
export async function refreshStatus(): Promise<void> {
  try {
    const st = await session.status();
    auth.practiceName = st.practiceName;
    auth.firstSignIn = !!st.needsFirstSignIn;
    if (!st.hasPractice) {
      auth.phase = 'create-practice';
      return;
    }
    const cur = await session.current();
    if (cur) {
      auth.user = cur.user;
      auth.practice = cur.practice;
      auth.phase = 'signed-in';
    } else {
      auth.phase = 'sign-in';
    }
  } catch (e) {
    auth.startupError = decodeError(e).message;
    auth.phase = 'unavailable';
  }
}
