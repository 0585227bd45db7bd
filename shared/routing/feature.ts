/**
 * A feature bundles what one capability of an app registers: its command, its card actions, its
 * autocomplete sources and its long tasks. Adding a command to an app is one new file exporting a
 * `Feature` and one line in the app's feature list.
 */
import type { ActionEvent, CommandEvent, HomeEvent, WidgetEvent } from '../events/model';
import type { Task } from '../jobs/worker';
import type { CommandInfo, Handler, RouteOptions } from './router';

export interface Routed<E extends CommandEvent | ActionEvent | WidgetEvent | HomeEvent> extends RouteOptions {
  handler: Handler<E>;
}

export interface Feature {
  /** Shown in logs. */
  name: string;
  command?: CommandInfo & Routed<CommandEvent>;
  /** Card buttons and dialog steps, by `action.function`. */
  actions?: Record<string, Routed<ActionEvent>>;
  /** Autocomplete sources, by `externalDataSource.function`. */
  widgets?: Record<string, Handler<WidgetEvent>>;
  /** The App Home card (the home tab of a person's DM with the app); one feature at most. */
  home?: Routed<HomeEvent>;
  /** Long tasks the worker runs, by job kind. */
  tasks?: Record<string, Task>;
}

export const defineFeature = (feature: Feature): Feature => feature;

export function tasksOf(features: Feature[]): Record<string, Task> {
  const tasks: Record<string, Task> = {};
  for (const f of features) {
    for (const [kind, task] of Object.entries(f.tasks ?? {})) {
      if (tasks[kind]) throw new Error(`job kind ${kind} is registered twice (feature ${f.name})`);
      tasks[kind] = task;
    }
  }
  return tasks;
}
