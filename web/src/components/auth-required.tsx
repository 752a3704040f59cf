/** Shown instead of the app when the server refuses our requests (no or a stale token cookie). */
export function AuthRequired() {
  return (
    <main className="full-page-message">
      <h1>ModelProgrammer needs its access link</h1>
      <p>
        Open the link that <code>mp serve</code> printed (it carries the access token).
      </p>
      <p className="muted">
        It looks like <code>http://127.0.0.1:PORT/?token=…</code>. The token is also kept in the data
        directory, in the file <code>token</code>.
      </p>
    </main>
  );
}
