/**
 * The page's routes for people and spaces of one's own (`/api/people`, `/api/spaces`,
 * `/api/spaces/members`; directory.ts does the work). Every refusal is a UserError: a 400.
 */
import type { NewSpace } from './directory';
import type { SimulatorSession } from './session';
import { UserError } from './user-error';

const asObject = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError('the body must be a JSON object');
  return v as Record<string, unknown>;
};

/** Answers `route`, or returns undefined when it is not one of these; `changed` tells the pages to fetch the state again. */
export async function directoryRoute(route: string, body: () => Promise<unknown>, session: SimulatorSession, changed: () => void): Promise<{ result: unknown } | undefined> {
  switch (route) {
    case 'POST /api/people': {
      const b = asObject(await body());
      const person = session.addPerson({ displayName: b.displayName, email: b.email === '' ? undefined : b.email });
      changed();
      return { result: person };
    }
    case 'POST /api/spaces': {
      const b = asObject(await body());
      const space = session.createSpace({ spaceType: b.spaceType, displayName: b.displayName, creator: b.creator, members: b.members } as NewSpace);
      changed();
      return { result: space };
    }
    case 'POST /api/spaces/members': {
      const b = asObject(await body());
      if (typeof b.space !== 'string') throw new UserError('space must be a space name (spaces/…)');
      const space = session.setMember(b.space, b.user, b.role);
      changed();
      return { result: space };
    }
    default:
      return undefined;
  }
}
