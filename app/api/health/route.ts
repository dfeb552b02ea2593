import { json } from "@/app/_lib/api";

/** Liveness: the process serves requests. No session needed; says nothing else. */
export function GET(): Response {
  return json({ status: "ok" }, 200);
}
