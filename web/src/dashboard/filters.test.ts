import { OPEN_WORK_STATUSES } from '@fanlab/shared';
import { describe, expect, it } from 'vitest';
import { categoryOptions, localeChoices, readFilters, statusesOf, statusParam, windowOf, withFilter } from './filters';

const category = (id: number, slug: string, parentId: number | null, position: number, allowIdeas = true) => ({
  id,
  slug,
  name: slug,
  parentId,
  position,
  allowIdeas,
});

describe('dashboard filters in the URL', () => {
  it('reads the filter parameters only, leaving empty ones out', () => {
    const params = new URLSearchParams('sort=window&window=7d&tag=&cursor=abc&category=phones');
    expect(readFilters(params)).toEqual({ category: 'phones', window: '7d', sort: 'window' });
  });

  it('leaves defaults and empty values out of the URL and keeps the other parameters', () => {
    const params = new URLSearchParams('window=7d&sort=window&tag=camera');
    expect(withFilter(params, 'window', '30d').toString()).toBe('sort=window&tag=camera');
    expect(withFilter(params, 'sort', 'votes').toString()).toBe('window=7d&tag=camera');
    expect(withFilter(params, 'tag', '  ').toString()).toBe('window=7d&sort=window');
    expect(withFilter(params, 'status', OPEN_WORK_STATUSES.join(',')).has('status')).toBe(false);
    expect(withFilter(params, 'status', 'open,shipped').get('status')).toBe('open,shipped');
    expect(params.toString()).toBe('window=7d&sort=window&tag=camera');
  });

  it('shows open work when no status (or no known status) is named, and writes statuses in their order', () => {
    expect([...statusesOf({})]).toEqual(OPEN_WORK_STATUSES);
    expect([...statusesOf({ status: 'opened' })]).toEqual(OPEN_WORK_STATUSES);
    expect([...statusesOf({ status: 'shipped,open' })]).toEqual(['open', 'shipped']);
    expect(statusParam(new Set(['declined', 'open', 'planned']))).toBe('open,planned,declined');
    expect(windowOf({ window: '5d' })).toBe('30d');
    expect(windowOf({ window: '7d' })).toBe('7d');
  });

  it('lists categories in tree order, sub-categories under their parent, without branches that hold no ideas', () => {
    const options = categoryOptions([
      category(3, 'camera', 1, 1),
      category(1, 'phones', null, 2),
      category(4, 'battery', 1, 0),
      category(2, 'news', null, 1, false),
      category(5, 'staff', null, 0, false),
      category(6, 'tips', 5, 0),
      category(7, 'lounge', 2, 0, false),
    ]);
    expect(options).toEqual([
      { slug: 'staff', name: 'staff', depth: 0 },
      { slug: 'tips', name: 'tips', depth: 1 },
      { slug: 'phones', name: 'phones', depth: 0 },
      { slug: 'battery', name: 'battery', depth: 1 },
      { slug: 'camera', name: 'camera', depth: 1 },
    ]);
  });

  it('offers the language spaces and regions the categories use', () => {
    expect(localeChoices([{ locale: 'es-MX' }, { locale: null }, { locale: 'pt' }, { locale: 'es-ES' }])).toEqual({
      spaces: ['es', 'es-ES', 'es-MX', 'pt'],
      regions: ['ES', 'MX'],
    });
  });
});
