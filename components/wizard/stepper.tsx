import Link from "next/link";
import type { StepperItem } from "./steps";

/** The wizard's steps as links (each step is a URL); unreachable ones say why. */
export function Stepper({ items }: { items: StepperItem[] }) {
  return (
    <nav className="stepper" aria-label="Wizard steps">
      <ol>
        {items.map((item) => (
          <li key={item.step} className={item.complete ? "stepper-complete" : undefined}>
            {item.disabledReason ? (
              <span className="stepper-disabled" aria-disabled="true" title={item.disabledReason}>
                <span className="stepper-number" aria-hidden="true">
                  {item.index + 1}
                </span>
                {item.label}
                <span className="visually-hidden"> (unavailable: {item.disabledReason})</span>
              </span>
            ) : (
              <Link href={item.href} aria-current={item.current ? "step" : undefined}>
                <span className="stepper-number" aria-hidden="true">
                  {item.complete ? "✓" : item.index + 1}
                </span>
                <span>
                  <span className="visually-hidden">Step {item.index + 1}: </span>
                  {item.label}
                </span>
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
