import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { signIn } from './api/session-token.ts';
import { App } from './app.tsx';
import './styles/theme.css';
import './styles/layout.css';
import './styles/sidebar.css';
import './styles/message-card.css';
import './styles/markdown.css';
import './styles/composer.css';
import './styles/tool-call-composer.css';
import './styles/overlays.css';
import './styles/conversation-bar.css';
import './styles/terminal.css';
import './styles/model.css';
import './styles/settings.css';
import './styles/shortcut-help.css';
import './styles/account.css';
import './styles/workspace.css';
import './styles/export-dialog.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks the #root element');
const element = root;
// Sign in first (a `#code=` link, this tab's token, or one an open tab hands over), then show the app.
void signIn().then((outcome) =>
  createRoot(element).render(
    <StrictMode>
      <App initialProblem={outcome.signedIn ? null : outcome.problem} />
    </StrictMode>,
  ),
);
