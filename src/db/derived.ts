/**
 * Derived data that a new version of Paperboy computes differently from the version that stored it: each
 * step names an artifact rebuilt from the papers (today the PostgreSQL keyword index, whose configuration
 * migration 0006 changed) and the version of the code that builds it. `ensureDerivedData` runs the steps
 * whose stored version is older, after the migrations and under the same start-up lock, and records the new
 * version; a store without papers has nothing to rebuild and is simply marked current. Migrations stay plain
 * schema changes; this is where application code rebuilds what depends on it.
 */
import type { Db } from './database.ts';

/** One derived artifact and how to rebuild it. */
export interface DerivedStep {
  name: string;
  /** Raise to make every store rebuild the artifact once. */
  version: number;
  /** Which databases have this artifact. */
  dialects: Db['dialect'][];
  rebuild(db: Db, log: (line: string) => void): Promise<void>;
}

/** Brings every step up to its version; returns the names of those rebuilt. */
export async function ensureDerivedData(db: Db, steps: DerivedStep[], log: (line: string) => void = console.log, now = new Date()): Promise<string[]> {
  const rows = await db.kysely.selectFrom('derived_state').select(['name', 'version']).execute();
  const stored = new Map(rows.map((r) => [r.name, r.version]));
  const due = steps.filter((s) => s.dialects.includes(db.dialect) && (stored.get(s.name) ?? 0) < s.version);
  if (due.length === 0) return [];
  const empty = !(await db.kysely.selectFrom('papers').select('id').limit(1).executeTakeFirst());
  const rebuilt: string[] = [];
  for (const step of due) {
    if (!empty) {
      const started = performance.now();
      log(`Rebuilding ${step.name} (version ${step.version}) …`);
      await step.rebuild(db, log);
      log(`Rebuilt ${step.name} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      rebuilt.push(step.name);
    }
    await db.kysely
      .insertInto('derived_state')
      .values({ name: step.name, version: step.version, updated_at: now.toISOString() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version: step.version, updated_at: now.toISOString() }))
      .execute();
  }
  return rebuilt;
}
