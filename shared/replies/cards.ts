/**
 * Card v2 (`google.apps.card.v1`, docs/chat-protocol.md §5) builders, so handlers never write raw card JSON.
 * The types cover only what this framework emits (simplified on purpose).
 */

export interface ActionParameter {
  key: string;
  value: string;
}

export interface CardAction {
  function: string;
  parameters?: ActionParameter[];
  interaction?: 'OPEN_DIALOG';
  loadIndicator?: 'SPINNER' | 'NONE';
  persistValues?: boolean;
  requiredWidgets?: string[];
}

export type OnClick = { action: CardAction } | { openLink: { url: string } };

export interface Button {
  text: string;
  onClick: OnClick;
  type?: 'OUTLINED' | 'FILLED' | 'FILLED_TONAL' | 'BORDERLESS';
  disabled?: boolean;
  altText?: string;
  color?: { red: number; green: number; blue: number; alpha?: number };
}

export interface SelectionItem {
  text: string;
  value: string;
  selected?: boolean;
  bottomText?: string;
  startIconUri?: string;
}

export type Widget =
  | { textParagraph: { text: string; maxLines?: number } }
  | {
      decoratedText: {
        text: string;
        topLabel?: string;
        bottomLabel?: string;
        wrapText?: boolean;
        startIcon?: { knownIcon?: string; materialIcon?: { name: string } };
        button?: Button;
        switchControl?: { name: string; value?: string; selected?: boolean; controlType?: 'SWITCH' | 'CHECKBOX' };
      };
    }
  | { buttonList: { buttons: Button[] } }
  | { image: { imageUrl: string; altText?: string } }
  | { divider: Record<string, never> }
  | {
      textInput: {
        name: string;
        label: string;
        value?: string;
        hintText?: string;
        type?: 'SINGLE_LINE' | 'MULTIPLE_LINE';
        validation?: { characterLimit?: number };
      };
    }
  | {
      selectionInput: {
        name: string;
        label: string;
        type: 'CHECK_BOX' | 'RADIO_BUTTON' | 'SWITCH' | 'DROPDOWN' | 'MULTI_SELECT';
        items?: SelectionItem[];
        multiSelectMaxSelectedItems?: number;
        multiSelectMinQueryLength?: number;
        externalDataSource?: CardAction;
      };
    }
  | {
      dateTimePicker: {
        name: string;
        label: string;
        type: 'DATE_AND_TIME' | 'DATE_ONLY' | 'TIME_ONLY';
        valueMsEpoch?: string;
      };
    };

export interface Section {
  header?: string;
  collapsible?: boolean;
  uncollapsibleWidgetsCount?: number;
  widgets: Widget[];
}

export interface CardHeader {
  title: string;
  subtitle?: string;
  imageUrl?: string;
  imageType?: 'SQUARE' | 'CIRCLE';
}

export interface Card {
  header?: CardHeader;
  sections: Section[];
  /** Dialogs only. */
  fixedFooter?: { primaryButton: Button; secondaryButton?: Button };
}

/** A dialog body: a card with Save/Cancel style buttons fixed at the bottom. */
export function dialogCard(c: Card, primary: Button, secondary?: Button): Card {
  return { ...c, fixedFooter: { primaryButton: primary, ...(secondary ? { secondaryButton: secondary } : {}) } };
}

export interface CardWithId {
  cardId: string;
  card: Card;
}

const toParameters = (params: Record<string, string> = {}): ActionParameter[] =>
  Object.entries(params).map(([key, value]) => ({ key, value }));

/** An action calling `fn` with `params`; `openDialog` makes the click open a dialog. */
export function action(fn: string, params?: Record<string, string>, options: { openDialog?: boolean } = {}): CardAction {
  return {
    function: fn,
    ...(params && Object.keys(params).length > 0 ? { parameters: toParameters(params) } : {}),
    ...(options.openDialog ? { interaction: 'OPEN_DIALOG' as const } : {}),
  };
}

export function button(text: string, onClick: CardAction | { url: string }, extra: Partial<Omit<Button, 'text' | 'onClick'>> = {}): Button {
  return { text, onClick: 'url' in onClick ? { openLink: { url: onClick.url } } : { action: onClick }, ...extra };
}

export const textParagraph = (text: string): Widget => ({ textParagraph: { text } });

export const decoratedText = (
  text: string,
  extra: { topLabel?: string; bottomLabel?: string; icon?: string; button?: Button; wrapText?: boolean } = {},
): Widget => ({
  decoratedText: {
    text,
    ...(extra.topLabel ? { topLabel: extra.topLabel } : {}),
    ...(extra.bottomLabel ? { bottomLabel: extra.bottomLabel } : {}),
    ...(extra.icon ? { startIcon: { materialIcon: { name: extra.icon } } } : {}),
    ...(extra.button ? { button: extra.button } : {}),
    ...(extra.wrapText ? { wrapText: true } : {}),
  },
});

/** A labelled on/off switch; in a submitted form its input holds `value` when on and is absent when off. */
export const switchToggle = (name: string, label: string, selected: boolean, bottomLabel?: string): Widget => ({
  decoratedText: {
    text: label,
    ...(bottomLabel ? { bottomLabel } : {}),
    wrapText: true,
    switchControl: { name, value: SWITCH_ON, selected, controlType: 'SWITCH' },
  },
});

export const SWITCH_ON = 'on';

export const buttonList = (...buttons: Button[]): Widget => ({ buttonList: { buttons } });

export const divider = (): Widget => ({ divider: {} });

export const image = (imageUrl: string, altText?: string): Widget => ({ image: { imageUrl, ...(altText ? { altText } : {}) } });

export const textInput = (
  name: string,
  label: string,
  extra: { value?: string; hintText?: string; multiline?: boolean; characterLimit?: number } = {},
): Widget => ({
  textInput: {
    name,
    label,
    ...(extra.value !== undefined ? { value: extra.value } : {}),
    ...(extra.hintText ? { hintText: extra.hintText } : {}),
    type: extra.multiline ? 'MULTIPLE_LINE' : 'SINGLE_LINE',
    ...(extra.characterLimit ? { validation: { characterLimit: extra.characterLimit } } : {}),
  },
});

export const selectionInput = (
  name: string,
  label: string,
  type: 'CHECK_BOX' | 'RADIO_BUTTON' | 'SWITCH' | 'DROPDOWN' | 'MULTI_SELECT',
  items: SelectionItem[],
  extra: { autocomplete?: CardAction; maxSelected?: number; minQueryLength?: number } = {},
): Widget => ({
  selectionInput: {
    name,
    label,
    type,
    items,
    ...(extra.autocomplete ? { externalDataSource: extra.autocomplete } : {}),
    ...(extra.maxSelected ? { multiSelectMaxSelectedItems: extra.maxSelected } : {}),
    ...(extra.minQueryLength !== undefined ? { multiSelectMinQueryLength: extra.minQueryLength } : {}),
  },
});

export const dateTimePicker = (
  name: string,
  label: string,
  type: 'DATE_AND_TIME' | 'DATE_ONLY' | 'TIME_ONLY' = 'DATE_AND_TIME',
  valueMs?: number,
): Widget => ({ dateTimePicker: { name, label, type, ...(valueMs !== undefined ? { valueMsEpoch: String(valueMs) } : {}) } });

export const section = (widgets: Widget[], header?: string): Section => ({ ...(header ? { header } : {}), widgets });

export function card(options: { title?: string; subtitle?: string; imageUrl?: string; sections: Section[] }): Card {
  return {
    ...(options.title
      ? { header: { title: options.title, ...(options.subtitle ? { subtitle: options.subtitle } : {}), ...(options.imageUrl ? { imageUrl: options.imageUrl, imageType: 'CIRCLE' as const } : {}) } }
      : {}),
    sections: options.sections,
  };
}

export const withId = (cardId: string, c: Card): CardWithId => ({ cardId, card: c });

/** Counts the widgets of a card, nested button lists included once, as Chat's 100-widget rule does. */
export function countWidgets(c: Card): number {
  return c.sections.reduce((n, s) => n + s.widgets.length, 0);
}
