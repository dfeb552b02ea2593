/** Role names as chips; past `max` the rest collapse into "+N" whose tooltip lists them. */
export function RoleChips({ roles, max = 3 }: { roles: string[]; max?: number }) {
  if (roles.length === 0) return <span className="muted">None</span>;
  const shown = roles.slice(0, max);
  const hidden = roles.slice(max);
  return (
    <ul className="chips" aria-label={`${roles.length} role${roles.length === 1 ? "" : "s"}`}>
      {shown.map((role) => (
        <li key={role} className="chip" title={role}>
          {role}
        </li>
      ))}
      {hidden.length > 0 ? (
        <li className="chip chip-more" title={hidden.join(", ")}>
          <span aria-hidden="true">+{hidden.length}</span>
          <span className="visually-hidden">and {hidden.length} more: {hidden.join(", ")}</span>
        </li>
      ) : null}
    </ul>
  );
}
