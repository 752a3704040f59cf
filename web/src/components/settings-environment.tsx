import type { Settings } from '../api/settings-api.ts';

/** Where the config file is and which key variables the server sees: names only, never a value. */
export function SettingsEnvironment(props: { settings: Settings }) {
  const variables = Object.entries(props.settings.environmentKeys);
  return (
    <section className="settings-section" aria-labelledby="settings-environment-title">
      <h2 id="settings-environment-title" className="settings-section__title">
        Config file and environment
      </h2>
      <p className="settings-section__text">
        Saved to <code className="settings-path">{props.settings.path}</code>, readable by you alone (mode
        0600) because it may hold keys. Changes apply at once: the next model turn uses them.
      </p>
      <p className="settings-section__text">
        Keys can also come from the environment of <code>mp serve</code>: a provider with no key in the file
        reads its variable (below), or the one named as its key variable. A key is never sent back to this
        page.
      </p>
      <ul className="settings-env" aria-label="Key variables in the server's environment">
        {variables.map(([name, set]) => (
          <li key={name} className={`settings-env__item ${set ? 'is-set' : 'is-unset'}`}>
            <span className="settings-env__mark" aria-hidden="true">
              {set ? '✓' : '✗'}
            </span>{' '}
            <code>{name}</code> <span className="settings-env__state">{set ? 'set' : 'not set'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
