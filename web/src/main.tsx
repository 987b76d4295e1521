import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ready } from './i18n';
import { applyStoredTheme } from './shell/theme';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

// the reader's theme at once, before anything paints
applyStoredTheme();

// the reader's language first, so the page never flashes in another one
void ready.then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
