/** Parses one dimension name ('event:page', 'visit:source', 'event:props:plan', 'time:day', ...). */
import { AppError } from '../errors.js';
import { EVENT_FIELDS, TIME_GRAINS, VISIT_ATTRIBUTES, type Dimension, type EventField, type TimeGrain, type VisitAttribute } from './model.js';
import { describeValue } from './describe-value.js';

const MAX_PROP_KEY = 300;

/** Every dimension name the API accepts, for error messages (props keys shown as a pattern). */
export const DIMENSION_NAMES: readonly string[] = [
  ...Object.keys(EVENT_FIELDS).map((f) => `event:${f}`),
  'event:goal',
  'event:props:<key>',
  ...Object.keys(VISIT_ATTRIBUTES).map((a) => `visit:${a}`),
  ...TIME_GRAINS.map((g) => `time:${g}`),
];

/** Validates a dimension name; invalid_query naming `field` (e.g. dimensions[1]) otherwise. */
export function parseDimension(value: unknown, field: string): Dimension {
  if (typeof value !== 'string') {
    throw new AppError('invalid_query', `${field}: expected a dimension name string, got ${describeValue(value)}`, { field });
  }
  if (value === 'event:goal') return { kind: 'goal', name: value };
  if (value.startsWith('event:props:')) {
    const key = value.slice('event:props:'.length);
    if (key.length === 0 || key.length > MAX_PROP_KEY) {
      throw new AppError('invalid_query', `${field}: a custom property key must be 1 to ${MAX_PROP_KEY} characters`, { field });
    }
    return { kind: 'prop', name: value, key };
  }
  const [prefix, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (prefix === 'event' && Object.hasOwn(EVENT_FIELDS, rest)) return { kind: 'event', name: value, field: rest as EventField };
  if (prefix === 'visit' && Object.hasOwn(VISIT_ATTRIBUTES, rest)) return { kind: 'visit', name: value, attribute: rest as VisitAttribute };
  if (prefix === 'time' && (TIME_GRAINS as readonly string[]).includes(rest)) return { kind: 'time', name: value, grain: rest as TimeGrain };
  throw new AppError('invalid_query', `${field}: unknown dimension ${describeValue(value)} (known: ${DIMENSION_NAMES.join(', ')})`, { field });
}
