import { useEffect, useState } from 'react';
import type { Conversation } from '../api/client.ts';
import type { ApprovalPolicy, ConversationSettingsPatch, Sandbox } from '../api/conversation-settings.ts';
import type { ProviderList } from '../api/model-api.ts';
import { type TerminalPlace, terminalApi } from '../api/terminal-api.ts';
import type { ModelChoice } from '../lib/model-choice.ts';
import { ModelSettingsForm } from './model-settings-form.tsx';
import { OutcomeControl } from './outcome-control.tsx';
import { ShareToggle } from './share-toggle.tsx';
import { SystemPromptForm } from './system-prompt-form.tsx';

const SANDBOX_LABELS: Record<Sandbox, string> = {
  bwrap: 'bwrap sandbox',
  docker: 'Docker sandbox',
  host: 'HOST: no sandbox',
};

const POLICY_LABELS: Record<ApprovalPolicy, string> = {
  ask: 'Ask for every command',
  'read-only': 'Auto-run read-only ones',
  all: 'Auto-run every command',
};

/**
 * The conversation's working conditions, always in view (DESIGN.md, "The screen"): where commands run, how
 * they are isolated, which model answers, and what runs without asking.
 */
export function ConversationBar(props: {
  conversation: Conversation;
  providers: ProviderList | null;
  choice: ModelChoice;
  /** `onRefused` answers true when the caller shows the server's refusal itself (beside a field). */
  onPatch: (patch: ConversationSettingsPatch, onRefused?: (error: unknown) => boolean) => Promise<boolean>;
  onReloadProviders: () => void;
}) {
  const { conversation, choice } = props;
  const { settings } = conversation;
  const [editing, setEditing] = useState(false);
  const [editingPrompt, setEditingPrompt] = useState(false);
  const sandbox = settings.sandbox;
  const place = useTerminalPlace(conversation.id, JSON.stringify(settings));
  const workspace = place?.workspace ?? settings.workspace ?? null;

  return (
    <div className="conversation-bar-frame">
      <fieldset className="conversation-bar" aria-label="Workspace, sandbox and model">
        <span
          className="conversation-bar__workspace"
          title={
            workspace ?? 'This conversation’s own folder under the data dir (workspaces/<conversation id>)'
          }
        >
          <span className="conversation-bar__label">Workspace</span>{' '}
          <code className="conversation-bar__path" data-testid="workspace-path">
            <bdi>{workspace ?? '‹data dir›/workspaces/‹this conversation›'}</bdi>
          </code>
        </span>
        <label className={`sandbox-select sandbox-select--${sandbox ?? 'auto'}`}>
          <span className="visually-hidden">Sandbox</span>
          <select
            value={sandbox ?? ''}
            onChange={(event) => {
              const value = event.target.value as Sandbox;
              if (
                value === 'host' &&
                !window.confirm(
                  'Run this conversation’s commands on this machine, without a sandbox? They could read, change or delete any file you can.',
                )
              )
                return;
              void props.onPatch({ sandbox: value });
            }}
          >
            {sandbox === undefined ? (
              <option value="">
                {place?.sandbox ? `${SANDBOX_LABELS[place.sandbox]} (automatic)` : 'sandbox: automatic'}
              </option>
            ) : null}
            {(Object.keys(SANDBOX_LABELS) as Sandbox[]).map((value) => (
              <option key={value} value={value}>
                {SANDBOX_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={`button button--small conversation-bar__model${choice.human ? ' is-human' : ''}`}
          aria-expanded={editing}
          aria-label={`Model: ${modelLabel(choice)}. Change model settings`}
          onClick={() => setEditing((value) => !value)}
        >
          <span className="conversation-bar__label">Model</span> {modelLabel(choice)} ▾
        </button>
        <button
          type="button"
          className="button button--small"
          aria-expanded={editingPrompt}
          title="The system prompt this conversation sends, the prompt library, and auto-compact"
          onClick={() => setEditingPrompt((value) => !value)}
        >
          System prompt{settings.autoCompact ? ' · auto-compact' : ''} ▾
        </button>
        <label
          className="conversation-bar__policy"
          title="Which commands run without your approval (auto-run only inside a sandbox)"
        >
          <span className="visually-hidden">Approval policy</span>
          <select
            value={settings.approvalPolicy ?? 'ask'}
            onChange={(event) => void props.onPatch({ approvalPolicy: event.target.value as ApprovalPolicy })}
          >
            {(Object.keys(POLICY_LABELS) as ApprovalPolicy[]).map((value) => (
              <option key={value} value={value}>
                {POLICY_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label
          className="conversation-bar__network"
          title="Whether commands in the sandbox can reach the network"
        >
          <input
            type="checkbox"
            checked={settings.network ?? false}
            onChange={(event) => void props.onPatch({ network: event.target.checked })}
          />
          Network
        </label>
        <ShareToggle conversation={conversation} onPatch={props.onPatch} />
        <OutcomeControl conversationId={conversation.id} />
      </fieldset>
      {place?.problem ? (
        <p className="host-warning" role="alert">
          {place.problem}
        </p>
      ) : null}
      {sandbox === 'host' ? (
        <p className="host-warning" role="alert">
          <strong>No sandbox.</strong> Commands in this conversation run directly on this machine with your
          permissions: they can read, change or delete any of your files and reach the network.
        </p>
      ) : null}
      {props.providers?.banner && choice.human && !editing ? (
        <div className="no-model-banner" role="status">
          <p>{props.providers.banner}</p>
          <button type="button" className="button button--small" onClick={() => setEditing(true)}>
            Choose a model for this conversation
          </button>
          <a className="button button--small" href="#/settings">
            Settings
          </a>
        </div>
      ) : null}
      {editingPrompt ? (
        <SystemPromptForm
          settings={settings}
          pathHasSystemMessage={conversation.messages.some(
            (message) => message.role === 'system' && !message.deleted,
          )}
          onSave={(patch) => props.onPatch(patch)}
          onCancel={() => setEditingPrompt(false)}
        />
      ) : null}
      {editing ? (
        <ModelSettingsForm
          settings={settings}
          startupScript={conversation.startupScript}
          choice={choice}
          providers={props.providers}
          onSave={props.onPatch}
          onCancel={() => setEditing(false)}
          onReloadProviders={props.onReloadProviders}
        />
      ) : null}
    </div>
  );
}

function modelLabel(choice: ModelChoice): string {
  if (choice.human) return 'none (you write the answers)';
  return choice.model === null ? choice.provider : `${choice.provider} · ${choice.model}`;
}

/** Where commands run, as the server resolves it; refetched when the conversation or its settings change. */
function useTerminalPlace(conversationId: string, settingsKey: string): TerminalPlace | null {
  const [place, setPlace] = useState<{ key: string; value: TerminalPlace } | null>(null);
  const key = `${conversationId} ${settingsKey}`;
  useEffect(() => {
    let current = true;
    terminalApi.place(conversationId).then(
      (value) => {
        if (current) setPlace({ key, value });
      },
      // Only a label depends on it: the bar then shows what the settings alone say.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [conversationId, key]);
  return place?.key === key ? place.value : null;
}
