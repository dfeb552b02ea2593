import pg from "pg";

/**
 * The PostgreSQL schema the e2e run on PostgreSQL uses (E2E_PG_SCHEMA in SCOPEWISE_TEST_DATABASE_URL):
 * `tsx e2e/support/postgres-schema.ts create` before the demo starts; as Playwright's global
 * teardown, dropped with everything in it.
 */
async function withClient(fn: (client: pg.Client, schema: string) => Promise<void>): Promise<void> {
  const url = process.env.SCOPEWISE_TEST_DATABASE_URL;
  const schema = process.env.E2E_PG_SCHEMA;
  if (!url || !schema) return;
  if (!/^[a-z0-9_]+$/.test(schema)) throw new Error(`E2E_PG_SCHEMA must be a plain identifier, got "${schema}"`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client, schema);
  } finally {
    await client.end();
  }
}

export default async function dropSchema(): Promise<void> {
  await withClient((client, schema) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined));
}

if (process.argv[2] === "create") {
  withClient((client, schema) => client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined)).catch((err: unknown) => {
    console.error(`could not create the e2e schema: ${(err as Error).message}`);
    process.exit(1);
  });
}
