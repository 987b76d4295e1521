/** The items of every loaded page once each (keyset pages can overlap when the order changes meanwhile). */
export function uniqueItems<T extends { id: number }>(pages: readonly { items: readonly T[] }[] | undefined): T[] {
  const seen = new Set<number>();
  const items: T[] = [];
  for (const page of pages ?? []) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}
