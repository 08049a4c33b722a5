import { type ColumnDefinitionBuilder, type CreateTableBuilder, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/** What migrations need to spell the same table on both engines. */
export interface ColumnHelpers {
  /** The type of an auto-numbered primary key: `serial` on PostgreSQL, `integer` on SQLite. */
  idType: 'serial' | 'integer';
  /** The constraints of that key (SQLite needs AUTOINCREMENT so ids are never reused). */
  id: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Link tables are looked up by their key only; in SQLite a clustered key saves a second b-tree per row. */
  withoutRowid: (t: CreateTableBuilder<any, any>) => CreateTableBuilder<any, any>;
}

/** Column helpers for one database engine. */
export function columnHelpers(dialect: Dialect): ColumnHelpers {
  return {
    idType: dialect === 'postgres' ? 'serial' : 'integer',
    id: (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()),
    withoutRowid: (t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t),
  };
}
