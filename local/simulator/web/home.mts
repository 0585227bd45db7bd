/**
 * The Home tab of a DM with the app (App Home): the tab bar in the DM's header, and the home card
 * in place of the conversation. Opening the tab asks the server to send the home event; clicks on
 * the card go back as home clicks; a dialog opened from it is the page's usual modal.
 */
import type { InteractionResult as HomeResultView, SpaceInfo } from '../protocol';
import { api } from './api.mjs';
import { cardBody, type CardHost } from './cards.mjs';
import { h } from './dom.mjs';
import { collectFormInputs } from './inputs.mjs';

export interface HomeView {
  /** Whether the Home tab is showing (the conversation is hidden). */
  readonly active: boolean;
  /** The tab bar for the DM's header, or nothing outside a DM with the app. */
  tabs(space: SpaceInfo): HTMLElement | null;
  /** Shows the home card the server says is current. */
  show(home: { space: string; card: unknown }): void;
  /** Back to the conversation (another space, another person). */
  leave(): void;
}

type Json = Record<string, unknown>;

/** `who()` is the current space and person; `apply` shows a result's effect (toast, dialog, error). */
export function createHome(who: () => { space: string; user: string }, apply: (result: HomeResultView) => void, onError: (message: string) => void): HomeView {
  const panel = h('div', { class: 'home-panel', id: 'home', hidden: true });
  document.getElementById('timeline')!.after(panel);
  let active = false;
  let shownFor = '';

  const host: CardHost = {
    click: (path) => void run(api.homeClick(who().space, who().user, path, collectFormInputs(panel))),
    autocomplete: async () => [],
  };

  async function run(request: Promise<HomeResultView>): Promise<void> {
    try {
      const result = await request;
      if (result.home) view.show(result.home);
      apply(result);
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
    }
  }

  const setActive = (on: boolean) => {
    active = on;
    panel.hidden = !on;
    document.body.classList.toggle('home-active', on);
    for (const t of document.querySelectorAll<HTMLElement>('.home-tabs [data-tab]')) t.classList.toggle('active', (t.dataset.tab === 'home') === on);
  };

  const view: HomeView = {
    get active() {
      return active;
    },
    tabs(space) {
      if (space.spaceType !== 'DIRECT_MESSAGE' || !space.appIsMember) {
        setActive(false);
        return null;
      }
      const tab = (name: 'chat' | 'home', label: string, onclick: () => void) =>
        h('button', { type: 'button', class: `home-tab${(name === 'home') === active ? ' active' : ''}`, 'data-tab': name, onclick }, label);
      return h('div', { class: 'home-tabs', role: 'tablist' },
        tab('chat', 'Chat', () => setActive(false)),
        tab('home', 'Home', () => {
          setActive(true);
          panel.replaceChildren(h('div', { class: 'home-loading' }, 'Loading…'));
          void run(api.homeOpen(who().space, who().user));
        }));
    },
    show(home) {
      if (home.space !== who().space) return;
      shownFor = home.space;
      const card = (home.card ?? {}) as Json;
      panel.replaceChildren(h('div', { class: 'card home-card', 'data-home-space': shownFor }, ...cardBody(card, '', host)));
    },
    leave() {
      setActive(false);
    },
  };
  return view;
}
