"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type ChangeEvent, type FormEvent, type ReactNode } from "react";

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * The state behind a list page's filter form: a plain GET form that works without script and,
 * with script, updates the URL in place (search debounced) so the server re-renders the
 * filtered page. Any filter change goes back to page 1.
 */
export function useUrlFilters<Q extends { q: string; page: number }>(query: Q, href: (query: Q, changes: Partial<Q>) => string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(query.q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward and "clear filters" change the URL underneath the input; a URL that only
  // differs by trimming is the user's own typing and must not eat their trailing space.
  useEffect(() => setQ((current) => (current.trim() === query.q ? current : query.q)), [query.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const navigate = (changes: Partial<Q>) => {
    clearTimeout(timer.current);
    startTransition(() => router.replace(href(query, { ...changes, page: 1 }), { scroll: false }));
  };
  const search = (value: string) => navigate({ q: value.trim() } as Partial<Q>);

  return {
    pending,
    q,
    navigate,
    onSubmit: (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      search(q);
    },
    onSearchChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.target.value;
      setQ(value);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => search(value), 350);
    },
  };
}

/** A labelled filter select whose empty choice means "all". */
export function FilterSelect({
  label,
  name,
  value,
  allLabel,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: string | undefined;
  allLabel: string;
  options: readonly FilterOption[];
  onChange: (value: string | undefined) => void;
}): ReactNode {
  return (
    <label className="field">
      {label}
      <select className="select" name={name} value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
