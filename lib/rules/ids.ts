export { findingId, stableHash } from "@/lib/model/finding-id";
