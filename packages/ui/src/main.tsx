/**
 * The entry of the one bundle both runtimes load: install the runtime APIs (the desktop host's
 * channel when a desktop window defined it, else HTTP + SSE to this page's server), then render
 * the workspace behind the login gate (web servers with a UI password only).
 */
import './styles/fonts.css';
import './styles/index.css';
import { installRuntimeAPIs } from '@chamber/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { AuthGate } from './auth/AuthGate.js';

installRuntimeAPIs();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <AuthGate>
      <App />
    </AuthGate>
  </StrictMode>,
);
