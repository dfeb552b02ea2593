/** The typed cluster-name confirmation a change to a production cluster needs (lib/scan/production.ts). */
export function ProductionConfirm({ cluster, verb, value, onChange, disabled }: { cluster: string; verb: string; value: string; onChange: (value: string) => void; disabled: boolean }) {
  return (
    <label className="field">
      <span>
        <b>{cluster}</b> is a production cluster: type its name to {verb}
      </span>
      <input className="input" type="text" value={value} autoComplete="off" spellCheck={false} onChange={(e) => onChange(e.target.value)} disabled={disabled} />
    </label>
  );
}
