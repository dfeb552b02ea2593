"use client";

import { useEffect } from "react";

const KEY = "scopewise-wizard-step";

/**
 * After moving to another step of the same finding's wizard (a link, or the choices form),
 * focus goes to the new step's heading instead of the top of the page, so a keyboard user
 * reads on from there. A first visit keeps the browser's own focus.
 */
export function StepFocus({ findingId, step }: { findingId: string; step: string }) {
  useEffect(() => {
    const here = JSON.stringify([findingId, step]);
    const before = sessionStorage.getItem(KEY);
    sessionStorage.setItem(KEY, here);
    if (!before || before === here || JSON.parse(before)[0] !== findingId) return;
    const heading = document.querySelector<HTMLElement>("[data-step-body] h2");
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [findingId, step]);
  return null;
}
