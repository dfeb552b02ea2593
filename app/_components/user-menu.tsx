import { currentViewer, SignInRequiredError } from "@/lib/auth/viewer";

/** The signed-in person and a sign-out button; nothing when nobody signs in (demo, single-user mode). */
export async function UserMenu() {
  let viewer;
  try {
    viewer = await currentViewer();
  } catch (err) {
    if (err instanceof SignInRequiredError) return null;
    throw err;
  }
  if (viewer.kind !== "user") return null;
  const { user } = viewer.session;
  return (
    <div className="topbar-user">
      <span className="topbar-user-name" title={`${user.username} (object id ${user.oid})`}>
        Signed in as <strong>{user.name}</strong>
      </span>
      {/* A plain form POST: works without script, and the Origin check refuses cross-site posts. */}
      <form method="post" action="/auth/sign-out">
        <button type="submit" className="button button-small">
          Sign out
        </button>
      </form>
    </div>
  );
}
