/** `/config`: the dialog's request, autocomplete, submit with errors, submit, cancel. */
import { createAppRouter } from '../../functions/app';
import {
  addedEvent,
  dialogCancelEvent,
  dialogCommandEvent,
  dialogRequestEvent,
  dialogSubmitEvent,
  newSpace,
  randomProjectId,
  slashCommandEvent,
  widgetUpdatedEvent,
} from '../helpers/chat-events';
import { startEventsServer, type EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

const projectId = randomProjectId('config');
const db = testFirestore(projectId);
let server: EventsServer;
beforeAll(async () => {
  server = await startEventsServer({ projectId, router: createAppRouter() });
});
afterAll(() => server?.stop());

const settingsOf = async (space: Record<string, unknown>) => (await db.collection('spaces').doc(String(space.name).slice(7)).get()).get('settings');

test('/config configured to open a dialog answers with the settings dialog, filled with the current settings', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const res = await server.post(dialogCommandEvent(space, 2, '/config'));
  const body = (res.json as { actionResponse: { type: string; dialogAction: { dialog: { body: Record<string, unknown> } } } }).actionResponse;
  expect(body.type).toBe('DIALOG');
  const dialog = JSON.stringify(body.dialogAction.dialog.body);
  expect(dialog).toContain('"externalDataSource":{"function":"configTimeZones"}');
  expect(dialog).toContain('"value":"UTC","selected":true');
  expect(dialog).toContain('"fixedFooter"');
});

test('/config not set to open a dialog offers a button that opens it', async () => {
  const res = await server.post(slashCommandEvent(newSpace(), 2, '/config'));
  expect(JSON.stringify(res.json)).toContain('"interaction":"OPEN_DIALOG"');
  const open = await server.post(dialogRequestEvent(newSpace(), 'configOpen'));
  expect((open.json as { actionResponse: { type: string } }).actionResponse.type).toBe('DIALOG');
});

test('time-zone autocomplete answers UPDATE_WIDGET with matching zones', async () => {
  const res = await server.post(widgetUpdatedEvent(newSpace(), 'configTimeZones', 'par'));
  const update = (res.json as { actionResponse: { type: string; updatedWidget: { widget: string; suggestions: { items: { value: string }[] } } } }).actionResponse;
  expect(update.type).toBe('UPDATE_WIDGET');
  expect(update.updatedWidget.widget).toBe('timeZone');
  expect(update.updatedWidget.suggestions.items.map((i) => i.value)).toContain('Europe/Paris');
  expect(update.updatedWidget.suggestions.items.length).toBeLessThanOrEqual(20);
});

test('an invalid submit is answered in the dialog and saves nothing', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  for (const zones of [[], ['Mars/Olympus'], ['Europe/Paris', 'Asia/Tokyo']]) {
    const res = await server.post(dialogSubmitEvent(space, 'configSave', { timeZone: zones, webhooksAllowed: [] }));
    const status = (res.json as { actionResponse: { dialogAction: { actionStatus: { statusCode: string; userFacingMessage: string } } } }).actionResponse.dialogAction.actionStatus;
    expect(status.statusCode).toBe('INVALID_ARGUMENT');
    expect(status.userFacingMessage).toMatch(/time zone/);
  }
  expect(await settingsOf(space)).toEqual({ timeZone: 'UTC', webhooksAllowed: true, pollVotersVisible: false });
});

test('a valid submit saves to spaces/{id} and closes the dialog with a confirmation', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  const res = await server.post(dialogSubmitEvent(space, 'configSave', { timeZone: ['Europe/Paris'], pollVotersVisible: ['on'] }));
  expect(res.json).toEqual({
    actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK', userFacingMessage: 'Settings saved: reports in Europe/Paris.' } } },
  });
  expect(await settingsOf(space)).toEqual({ timeZone: 'Europe/Paris', webhooksAllowed: false, pollVotersVisible: true });
});

test('Cancel (the button, or the close icon) closes the dialog and changes nothing', async () => {
  const space = newSpace();
  await server.post(addedEvent(space));
  for (const e of [dialogSubmitEvent(space, 'configCancel'), dialogCancelEvent(space, 'configSave')]) {
    const res = await server.post(e);
    expect(res.json).toEqual({ actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK' } } } });
  }
  expect(await settingsOf(space)).toEqual({ timeZone: 'UTC', webhooksAllowed: true, pollVotersVisible: false });
});
