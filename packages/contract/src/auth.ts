/**
 * The web server's UI password (`/auth/session`, not a command of the table): the part of its
 * answers a client compares. A throttled login (429) says how long to wait, and the login page
 * shows that sentence as it is.
 */
export const TOO_MANY_ATTEMPTS = 'Too many attempts';

export function tooManyAttemptsMessage(seconds: number): string {
  return `${TOO_MANY_ATTEMPTS}, try again in ${seconds} s`;
}
