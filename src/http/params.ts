/** Query-string parameters shared by several routes, validated in one place. */

// Digits only (no "1e3", "0x10" or " 2"), with an upper bound that keeps OFFSET arithmetic small.
const MAX_PAGE = 1_000_000;

/** The `?page=N` of a list (1 when absent), or undefined when it is not a page number. */
export function pageParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,7}$/.test(raw)) return undefined;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : undefined;
}
