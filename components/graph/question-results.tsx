import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { ScopeBreadcrumb } from "@/components/inventory/scope-breadcrumb";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { GraphQuestionView, NodeRef } from "./question";
import { graphHref, reachHref, type GraphQuery } from "./links";

function NodeLink({ node, query }: { node: NodeRef; query: GraphQuery }) {
  return (
    <Link href={graphHref(query, { select: node.nodeId })} title={`${node.kind}: show it in the graph`}>
      {node.label}
    </Link>
  );
}

/** The answer in words: the "who can reach" table or the list of paths, beside the highlighted subgraph. */
export function QuestionResults({ question, query }: { question: GraphQuestionView; query: GraphQuery }) {
  const { target } = question;
  return (
    <section className="card section graph-question" aria-labelledby="question-title">
      <div className="section-header">
        <div>
          <h2 id="question-title">{question.kind === "reach" ? `Who can reach ${target.label}` : `How ${question.from?.label ?? "?"} reaches ${target.label}`}</h2>
          <ScopeBreadcrumb crumbs={target.crumbs} label="Target scope" />
        </div>
        <p>
          {question.kind === "path" ? <Link href={reachHref(target.scopeId)}>Everyone who can reach it</Link> : null} <Link href="/graph">Clear the question</Link>
        </p>
      </div>
      {question.empty ? (
        <p className="section-body muted">
          {question.kind === "reach"
            ? "No identity in the graph holds a role at this scope or any scope above it."
            : `${question.from?.label ?? "This node"} has no path to this scope: none of the identities it can act as holds a role there or above.`}
        </p>
      ) : question.kind === "reach" ? (
        <ScrollRegion label="Who can reach it, as a table">
          <table className="data">
            <caption className="visually-hidden">Pods, the bindings they act through, the identity and the role it holds, and where</caption>
            <thead>
              <tr>
                <th scope="col">Pods (workload) or cluster</th>
                <th scope="col">Through</th>
                <th scope="col">Identity</th>
                <th scope="col">Role</th>
                <th scope="col">At scope</th>
              </tr>
            </thead>
            <tbody>
              {question.reach!.map((r) => (
                <tr key={r.key}>
                  <td>{r.actor ? <NodeLink node={r.actor} query={query} /> : <span className="muted">nothing acts as it in a cluster</span>}{r.actor?.sublabel ? <div className="cell-sub">{r.actor.sublabel}</div> : null}</td>
                  <td>
                    {r.through.length === 0 && !r.how ? <span className="muted">—</span> : null}
                    {r.through.map((t) => (
                      <div key={t.nodeId}>
                        <span className="cell-sub">{t.how} </span>
                        <NodeLink node={t} query={query} /> <span className="cell-sub">({t.kind})</span>
                      </div>
                    ))}
                    {r.how ? <div className="cell-sub">{r.how} →</div> : null}
                  </td>
                  <th scope="row">
                    <NodeLink node={r.identity} query={query} />
                  </th>
                  <td>
                    {r.role} {r.severity ? <SeverityBadge severity={r.severity} /> : null}
                  </td>
                  <td>
                    <NodeLink node={r.scope} query={query} />
                    <div className="cell-sub">{r.inherited ? `inherited by ${target.label}` : "directly"}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <ol className="graph-paths section-body" aria-label="Paths, shortest first">
          {question.paths!.map((p, i) => (
            <li key={i}>
              {p.steps.map((s, j) => (
                <span key={j}>
                  {s.how ? (
                    <span className="path-arrow" data-severity={s.severity}>
                      {" "}
                      —{s.how}
                      {s.broken ? " (broken)" : ""}→{" "}
                    </span>
                  ) : null}
                  <NodeLink node={s} query={query} />
                </span>
              ))}
              {p.inherited ? <span className="cell-sub"> (inherited by {target.label})</span> : null}
            </li>
          ))}
        </ol>
      )}
      {question.truncated ? <p className="section-body muted">More exist; the first {question.kind === "reach" ? question.reach!.length : question.paths!.length} are shown.</p> : null}
    </section>
  );
}
