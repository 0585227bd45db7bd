/**
 * A feature bundles what one capability of an app registers: its command, its card actions, its
 * autocomplete sources and its long tasks. Adding a command to an app is one new file exporting a
 * `Feature` and one line in the app's feature list; everything that lists the commands (help
 * texts, the Chat API configuration, the simulator, the report's labels) is derived from that list.
 */
import type { ActionEvent, CommandEvent, HomeEvent, WidgetEvent } from '../events/model';
import type { Task } from '../jobs/worker';
import { fieldKey } from '../stores/keys';
import { actionRoute, commandRoute, Router, type CommandInfo, type Handler, type RouteOptions } from './router';

export interface Routed<E extends CommandEvent | ActionEvent | WidgetEvent | HomeEvent> extends RouteOptions {
  handler: Handler<E>;
}

export interface FeatureAction extends Routed<ActionEvent> {
  /** How the activity report names this action's count ("Poll votes"); without one, the function's name. */
  label?: string;
}

export interface Feature {
  /** Shown in logs. */
  name: string;
  command?: CommandInfo & Routed<CommandEvent>;
  /** Card buttons and dialog steps, by `action.function`. */
  actions?: Record<string, FeatureAction>;
  /** Autocomplete sources, by `externalDataSource.function`. */
  widgets?: Record<string, Handler<WidgetEvent>>;
  /** The App Home card (the home tab of a person's DM with the app); one feature at most. */
  home?: Routed<HomeEvent>;
  /** Long tasks the worker runs, by job kind. */
  tasks?: Record<string, Task>;
}

export const defineFeature = (feature: Feature): Feature => feature;

export function tasksOf(features: readonly Feature[]): Record<string, Task> {
  const tasks: Record<string, Task> = {};
  for (const f of features) {
    for (const [kind, task] of Object.entries(f.tasks ?? {})) {
      if (tasks[kind]) throw new Error(`job kind ${kind} is registered twice (feature ${f.name})`);
      tasks[kind] = task;
    }
  }
  return tasks;
}

/** The features' commands by id, checked the way the router checks them (an id or action used twice throws). */
export function commandsOf(features: readonly Feature[]): CommandInfo[] {
  const router = new Router();
  for (const feature of features) router.use(feature);
  return router.commandList();
}

/**
 * People's names for the routes the activity counters count, keyed as they store them
 * (`command_4` → `/report`, `action_pollVote` → `Poll votes`).
 */
export function routeLabels(features: readonly Feature[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const feature of features) {
    if (feature.command) labels[fieldKey(commandRoute(feature.command.id))] = feature.command.name;
    for (const [fn, action] of Object.entries(feature.actions ?? {})) if (action.label) labels[fieldKey(actionRoute(fn))] = action.label;
  }
  return labels;
}
