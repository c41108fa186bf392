/** Goal matching shared by the compiler (as SQL) and by goal filters (on display names, in TS). */
import type { Goal } from '../store/metadata.js';
import type { FilterLeaf } from './model.js';

/** Anchored regular expression of a page goal pattern, where `*` matches any run of characters. */
export function pagePatternRegex(pattern: string): string {
  return '^' + pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$';
}

/**
 * Whether one event may complete two of the goals. False means every event completes at most
 * one, so a query can label each event with its goal in one pass instead of testing every
 * goal against every event. Conservative: true whenever unsure.
 */
export function goalsMayOverlap(goals: readonly Goal[]): boolean {
  const pages = goals.filter((g) => g.kind === 'page').map((g) => g.match);
  // Event goals have distinct names; only one named 'pageview' could meet a page goal.
  if (pages.length > 0 && goals.some((g) => g.kind === 'event' && g.match === 'pageview')) return true;
  for (let i = 0; i < pages.length; i++) {
    for (let j = i + 1; j < pages.length; j++) {
      const a = pages[i]!, b = pages[j]!;
      if (!a.includes('*')) { if (new RegExp(pagePatternRegex(b)).test(a)) return true; continue; }
      if (!b.includes('*')) { if (new RegExp(pagePatternRegex(a)).test(b)) return true; continue; }
      // Every match of a pattern starts with its text before the first '*'.
      const pa = a.slice(0, a.indexOf('*')), pb = b.slice(0, b.indexOf('*'));
      if (pa.startsWith(pb) || pb.startsWith(pa)) return true;
    }
  }
  return false;
}

/** Whether a string satisfies a filter leaf's positive operator (is / contains / matches). */
export function leafMatchesText(leaf: FilterLeaf, text: string): boolean {
  const cs = leaf.caseSensitive;
  const subject = cs ? text : text.toLowerCase();
  switch (leaf.op) {
    case 'is':
    case 'is_not':
      return leaf.values.some((v) => (cs ? v : v.toLowerCase()) === subject);
    case 'contains':
    case 'contains_not':
      return leaf.values.some((v) => subject.includes(cs ? v : v.toLowerCase()));
    case 'matches':
    case 'matches_not':
      return leaf.values.some((v) => new RegExp(v, cs ? '' : 'i').test(text));
  }
}

/** Goals whose display name satisfies the leaf's positive operator (event:goal filters). */
export function goalsMatchingLeaf(goals: readonly Goal[], leaf: FilterLeaf): Goal[] {
  return goals.filter((g) => leafMatchesText(leaf, g.displayName));
}

/** is_not, contains_not, matches_not: the negation of their positive operator. */
export function isNegative(op: FilterLeaf['op']): boolean {
  return op === 'is_not' || op === 'contains_not' || op === 'matches_not';
}
