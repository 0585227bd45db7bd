/**
 * Finds the element a click or an autocomplete names by its path (see `WidgetPath` in
 * protocol.ts) in the cards the simulator holds, and the action behind it. The page never sends
 * an action itself: like Chat, the simulator takes it from the card the app sent.
 */
import type { WidgetPath } from './protocol';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CardAction {
  function: string;
  parameters: Record<string, string>;
  opensDialog: boolean;
}

/** Where paths start: a message (its cards and accessory widgets) or a dialog's card. */
export type PathRoot = { cardsV2?: unknown[]; accessoryWidgets?: unknown[] } | { dialogCard: unknown };

const index = (token: string, prefix: string): number | undefined => {
  if (!token.startsWith(prefix)) return undefined;
  const n = Number(token.slice(prefix.length));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

const at = (list: unknown, i: number | undefined): unknown => (Array.isArray(list) && i !== undefined ? list[i] : undefined);

/** One step down from `node` (a card, section, widget, column, …) by `token`. */
function step(node: unknown, token: string): unknown {
  if (!isObject(node)) return undefined;
  const field = (name: string) => (isObject(node[name]) ? (node[name] as Json) : undefined);
  if (token === 'footer') return node.fixedFooter;
  if (token === 'primary') return node.primaryButton;
  if (token === 'secondary') return node.secondaryButton;
  if (token === 'btn') return field('decoratedText')?.button;
  if (token === 'sw') return field('decoratedText')?.switchControl;
  if (token === 'dt') return field('decoratedText');
  if (token === 'img') return field('image');
  const steps: [string, (i: number) => unknown][] = [
    ['s', (i) => at(node.sections, i)],
    ['w', (i) => at(node.widgets, i)],
    ['b', (i) => at(field('buttonList')?.buttons, i)],
    ['col', (i) => at(field('columns')?.columnItems, i)],
    ['chip', (i) => at(field('chipList')?.chips, i)],
    ['g', (i) => {
      const grid = field('grid');
      const item = at(grid?.items, i);
      // A grid has one onClick for all items; the clicked item's id goes into the parameters.
      return isObject(item) && grid ? { onClick: grid.onClick, gridItem: item } : undefined;
    }],
    ['m', (i) => at(field('onClick')?.overflowMenu && (field('onClick')!.overflowMenu as Json).items, i)],
  ];
  for (const [prefix, get] of steps) {
    const i = index(token, prefix);
    if (i !== undefined && !(prefix === 's' && token.startsWith('sw'))) return get(i);
  }
  return undefined;
}

export function findByPath(root: PathRoot, path: WidgetPath): unknown {
  const tokens = path.split('.');
  let node: unknown;
  const [first, ...rest] = tokens;
  if ('dialogCard' in root) {
    node = root.dialogCard;
    return rest.reduce(step, step(node, first));
  }
  const card = index(first, 'c');
  const accessory = index(first, 'a');
  if (card !== undefined) {
    const withId = at(root.cardsV2, card);
    node = isObject(withId) ? withId.card : undefined;
  } else if (accessory !== undefined) {
    node = at(root.accessoryWidgets, accessory);
  }
  return rest.reduce(step, node);
}

function readAction(action: unknown, extra: Record<string, string> = {}): CardAction | undefined {
  if (!isObject(action) || typeof action.function !== 'string') return undefined;
  const parameters: Record<string, string> = {};
  for (const p of Array.isArray(action.parameters) ? action.parameters : []) {
    if (isObject(p) && typeof p.key === 'string') parameters[p.key] = typeof p.value === 'string' ? p.value : '';
  }
  return { function: action.function, parameters: { ...parameters, ...extra }, opensDialog: action.interaction === 'OPEN_DIALOG' };
}

/** The action a click on `element` runs: its `onClick.action`, or a switch's `onChangeAction`. */
export function clickActionOf(element: unknown): CardAction | undefined {
  if (!isObject(element)) return undefined;
  if (isObject(element.onChangeAction)) return readAction(element.onChangeAction);
  const onClick = isObject(element.onClick) ? element.onClick : undefined;
  const gridItem = isObject(element.gridItem) ? element.gridItem : undefined;
  const extra: Record<string, string> = gridItem && typeof gridItem.id === 'string' ? { gridItemId: gridItem.id } : {};
  return readAction(onClick?.action, extra);
}

/** The autocomplete source of a selection input widget (`externalDataSource`). */
export function autocompleteActionOf(widget: unknown): { action: CardAction; name: string } | undefined {
  const input = isObject(widget) && isObject(widget.selectionInput) ? widget.selectionInput : undefined;
  const action = readAction(input?.externalDataSource);
  return action && typeof input?.name === 'string' ? { action, name: input.name } : undefined;
}
