import { describe, expect, it } from 'vitest';
import { RuntimeCallError } from '@chamber/client';
import {
  INCORRECT_PASSWORD,
  NETWORK_ERROR,
  UNEXPECTED_RESPONSE,
  loginErrorMessage,
} from '../src/auth/login-messages.js';

describe('loginErrorMessage', () => {
  it("uses the reference UI's sentences, and the server's own for a throttled login", () => {
    expect(loginErrorMessage(new RuntimeCallError(401, 'Invalid password'))).toBe(INCORRECT_PASSWORD);
    expect(INCORRECT_PASSWORD).toBe('Incorrect password. Try again.');
    expect(loginErrorMessage(new RuntimeCallError(0, 'Network error: fetch failed'))).toBe(NETWORK_ERROR);
    expect(NETWORK_ERROR).toBe('Network error. Check connection and retry.');
    expect(loginErrorMessage(new RuntimeCallError(429, 'Too many attempts, try again in 8 s'))).toBe(
      'Too many attempts, try again in 8 s',
    );
    for (const error of [
      new RuntimeCallError(500, 'boom'),
      new RuntimeCallError(400, 'UI password not configured'),
      new RuntimeCallError(429, 'something else'),
      new Error('x'),
      undefined,
    ])
      expect(loginErrorMessage(error)).toBe(UNEXPECTED_RESPONSE);
    expect(UNEXPECTED_RESPONSE).toBe('Unexpected response from server.');
  });
});
