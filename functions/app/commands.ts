/** The app's commands. Ids are fixed: they are what the Chat API configuration maps names to. */
import type { CommandInfo } from '../../shared/routing/router';

export const APP_NAME = 'Team Assistant';

export const COMMANDS = {
  about: { id: 1, name: '/about', description: 'What this app does' },
  report: { id: 4, name: '/report', description: 'Activity report for this space' },
} as const satisfies Record<string, CommandInfo>;
