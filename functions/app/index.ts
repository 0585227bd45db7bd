/**
 * This app: its features and lifecycle handlers (for `chatEvents`) and its long tasks (for
 * `chatWorker`). A new command is one new file exporting a feature, plus one line in FEATURES.
 */
import type { Task } from '../../shared/jobs/worker';
import { tasksOf, type Feature } from '../../shared/routing/feature';
import { Router } from '../../shared/routing/router';
import { about } from './about';
import { config } from './config';
import { home } from './home';
import { onAdded, onLinkPreview, onMessage, onRemoved } from './lifecycle';
import { notify } from './notify';
import { polls } from './polls';
import { reports } from './report';

/** The one place a command is declared; `npm run generate` writes what the Chat API configuration needs from it. */
export const FEATURES: Feature[] = [about, config, polls, reports(() => FEATURES), notify, home];

export function createAppRouter(): Router {
  const router = new Router();
  for (const feature of FEATURES) router.use(feature);
  return (
    router
      .added(onAdded)
      // Removal is idempotent, so replays are harmless; skipping the claim also leaves no delivery record of the space.
      .removed(onRemoved, { pure: true })
      .message(onMessage, { pure: true })
      .linkPreview(onLinkPreview, { pure: true })
  );
}

export function createAppTasks(): Record<string, Task> {
  return tasksOf(FEATURES);
}
