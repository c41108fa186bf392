import type { NewGoal } from './metadata.js';

/** How a goal is shown in reports and `event:goal`: the event name, or 'Visit <path pattern>' (Plausible's convention). */
export function goalDisplayName(goal: NewGoal): string {
  return goal.kind === 'event' ? goal.match : `Visit ${goal.match}`;
}
