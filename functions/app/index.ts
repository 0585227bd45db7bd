/** This app: its routes (for `chatEvents`) and its long tasks (for `chatWorker`). */
import type { Task } from '../../shared/jobs/worker';
import { Router } from '../../shared/routing/router';
import { aboutReply } from './about';
import { COMMANDS } from './commands';
import { onAdded, onMessage, onRemoved } from './lifecycle';
import { onReportCommand, REPORT_JOB, reportTask } from './report';

export function createAppRouter(): Router {
  const router = new Router();
  router
    .command(COMMANDS.about, () => aboutReply(router.commandList()), { pure: true })
    .command(COMMANDS.report, onReportCommand)
    .added((event, ctx) => onAdded(event, ctx, router.commandList()))
    // Removal is idempotent, so replays are harmless; skipping the claim also leaves no delivery record of the space.
    .removed(onRemoved, { pure: true })
    .message((event) => onMessage(event, router.commandList()), { pure: true });
  return router;
}

export function createAppTasks(): Record<string, Task> {
  const names = Object.fromEntries(Object.values(COMMANDS).map((c) => [c.id, c.name]));
  return { [REPORT_JOB]: reportTask(names) };
}
