import Link from "next/link";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { ChooseView } from "./choose";
import { needLabel, PlanKind } from "./choose";

/**
 * Step 2. Choices are a plain GET form into the preview step, so the result is a URL that can
 * be shared and reloaded; plan options are links (another plan has other roles and scopes).
 */
export function ChooseStep({ view, planId, planHref, formAction }: { view: ChooseView; planId: string; planHref: (planId: string) => string; formAction: string }) {
  const dataNeeds = view.plans.some((p) => p.need);
  return (
    <section className="card section" aria-labelledby="c-title">
      <div className="section-header">
        <h2 id="c-title">Choose</h2>
      </div>
      <div className="section-body">
        {view.plans.length > 1 ? (
          <nav aria-label={dataNeeds ? "What the app does with the data" : "Fix options"} className="spaced-bottom">
            <h3>{dataNeeds ? "What does the app do with the data?" : "Which fix?"}</h3>
            <ul className="choice-list">
              {view.plans.map((p) => (
                <li key={p.id}>
                  {p.selected ? <b aria-current="true">● {p.need ? needLabel(p.need) : p.summary}</b> : <Link href={planHref(p.id)}>○ {p.need ? needLabel(p.need) : p.summary}</Link>}
                  {p.need ? <span className="cell-sub">{p.summary}</span> : null}
                </li>
              ))}
            </ul>
          </nav>
        ) : null}

        {view.kind === PlanKind.Role ? (
          <form method="get" action={formAction} aria-label="Role and scope">
            <input type="hidden" name="step" value="preview" />
            <input type="hidden" name="plan" value={planId} />
            {view.roles.length > 1 && !dataNeeds ? (
              <fieldset className="choice-list">
                <legend>Replacement role (narrowest first)</legend>
                {view.roles.map((r) => (
                  <label key={r.id}>
                    <input type="radio" name="role" value={r.id} defaultChecked={r.selected} />
                    <span>
                      {r.name}
                      {r.grantedOperations !== undefined ? <span className="cell-sub"> · grants {r.grantedOperations} operations</span> : null}
                    </span>
                  </label>
                ))}
              </fieldset>
            ) : (
              <p>
                Role: <b>{view.roles.find((r) => r.selected)?.name ?? view.roles[0]?.name}</b> {dataNeeds ? "(follows from what the app does)" : "(unchanged)"}
              </p>
            )}
            <fieldset className="choice-list">
              <legend>Scope of the new assignment(s)</legend>
              {view.scopes.map((s) => (
                <label key={s.id}>
                  <input type="checkbox" name="scope" value={s.id} defaultChecked={s.selected} />
                  <span>
                    {s.level} <b>{s.label}</b>
                    {s.proposed ? <span className="cell-sub"> · used by the cluster</span> : null}
                    <div className="id">{s.id}</div>
                  </span>
                </label>
              ))}
            </fieldset>
            <button type="submit" className="button button-primary">
              Preview with these choices
            </button>
          </form>
        ) : null}

        {view.kind === PlanKind.Removal ? (
          <>
            <h3>Does anything still need it?</h3>
            <ul className="radius-list" aria-label="What references it">
              {view.references.map((r, i) => (
                <li key={i}>
                  {r.href ? <Link href={r.href}>{r.label}</Link> : <b>{r.label}</b>}: {r.detail}
                </li>
              ))}
            </ul>
            <p className="muted">Removal takes no choices; check the list above, then preview.</p>
          </>
        ) : null}

        {view.kind === PlanKind.Migration ? (
          <>
            {view.prerequisites.length > 0 ? (
              <div className="callout callout-info">
                <h3>First</h3>
                <ul>
                  {view.prerequisites.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            <p>Each binding moves to workload identity; the identity and its roles stay.</p>
            <ScrollRegion label="Bindings to migrate, scrollable">
              <table aria-label="Bindings to migrate">
                <thead>
                  <tr>
                    <th scope="col">Binding to delete</th>
                    <th scope="col">Service account</th>
                    <th scope="col">Federated credential</th>
                    <th scope="col">Pod template</th>
                  </tr>
                </thead>
                <tbody>
                  {view.bindings.map((b) => (
                    <tr key={`${b.namespace}/${b.binding}`}>
                      <td className="mono">
                        {b.namespace}/{b.binding}
                      </td>
                      <td className="mono">{b.serviceAccounts.length ? b.serviceAccounts.map((sa) => <div key={sa}>{sa}</div>) : "—"}</td>
                      <td>
                        {b.federatedCredentials.length
                          ? b.federatedCredentials.map((f) => (
                              <div key={f.subject}>
                                <div className="mono">{f.subject}</div>
                                <div className="cell-sub">issuer: {f.issuer}</div>
                                {f.on ? <div className="cell-sub">on {f.on}</div> : null}
                              </div>
                            ))
                          : "—"}
                      </td>
                      <td>
                        {b.workloads.length
                          ? b.workloads.map((w) => (
                              <div key={w.name}>
                                {w.name}
                                {w.podLabel ? <div className="cell-sub mono">{w.podLabel}</div> : null}
                              </div>
                            ))
                          : "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </>
        ) : null}

        {view.kind === PlanKind.Split ? (
          <>
            <p>One new identity per application, each with only what that application needs:</p>
            <ul className="radius-list" aria-label="New identities">
              {view.newIdentities.map((n) => (
                <li key={n.name}>
                  <b>{n.name}</b> in {n.resourceGroup}
                  {n.subject ? <span className="cell-sub"> · trusted subject {n.subject}</span> : null}
                  {n.grants.length > 0 ? (
                    n.grants.map((g) => (
                      <div key={g} className="cell-sub">
                        {g}
                      </div>
                    ))
                  ) : (
                    <div className="cell-sub">Its roles are chosen by hand (below), among those the shared identity holds.</div>
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        {view.kind === PlanKind.Manual ? <p>This plan has only manual steps: there is nothing to choose or apply. Preview it to read or download the steps.</p> : null}

        {view.manualSteps.length > 0 && view.kind !== PlanKind.Manual ? (
          <>
            <h3 className="spaced-top">Left for you to do afterwards</h3>
            <ul>
              {view.manualSteps.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}
