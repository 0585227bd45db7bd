/** addon mode in the configuration: the endpoint URL as audience and the add-on account, validated at load. */
import { DEFAULT_CERTS_URL, loadEventsConfig } from '../../shared/config';
import { ConfigError } from '../../shared/errors';

const ACCOUNT = 'service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com';
const ENDPOINT = 'https://us-central1-my-project.cloudfunctions.net/chat-events';
const env = (extra: Record<string, string | undefined>) => ({ GOOGLE_CLOUD_PROJECT: 'my-project', ...extra });

function configError(values: Record<string, string | undefined>): ConfigError {
  try {
    loadEventsConfig(env(values));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the configuration loaded');
}

test('addon mode: the endpoint URL is the audience, the add-on account is kept, Google’s OIDC certs by default', () => {
  const config = loadEventsConfig(env({ CHAT_AUDIENCE_MODE: 'addon', CHAT_AUDIENCE: ENDPOINT, CHAT_ADDON_SERVICE_ACCOUNT: ACCOUNT }));
  expect(config).toMatchObject({ audienceMode: 'addon', audience: ENDPOINT, endpointUrl: ENDPOINT, addonServiceAccount: ACCOUNT });
  // The links the app hands out (webhook URLs, poll permalinks) default to the endpoint too.
  expect(config.publicUrl).toBe(`${ENDPOINT}/`);
  expect(config.certsUrl).toBe(DEFAULT_CERTS_URL.addon);
  expect(DEFAULT_CERTS_URL.addon).toBe(DEFAULT_CERTS_URL['endpoint-url']);
});

test.each([
  ['missing', undefined, /is required in addon mode/],
  ['Chat’s own account', 'chat@system.gserviceaccount.com', /must be the add-on service account/],
  ['a project number that is not digits', 'service-abc@gcp-sa-gsuiteaddons.iam.gserviceaccount.com', /must be/],
  ['another domain', 'service-123456789012@gcp-sa-gsuiteaddons.example.com', /must be/],
  ['with text after it', `${ACCOUNT}.evil.example`, /must be/],
])('addon mode refuses CHAT_ADDON_SERVICE_ACCOUNT %s, naming it', (_label, account, message) => {
  const err = configError({ CHAT_AUDIENCE_MODE: 'addon', CHAT_AUDIENCE: ENDPOINT, CHAT_ADDON_SERVICE_ACCOUNT: account });
  expect(err.variable).toBe('CHAT_ADDON_SERVICE_ACCOUNT');
  expect(err.message).toMatch(message);
});

test('addon mode needs the endpoint URL as CHAT_AUDIENCE (add-ons have no project-number audience)', () => {
  expect(configError({ CHAT_AUDIENCE_MODE: 'addon', CHAT_AUDIENCE: '123456789012', CHAT_ADDON_SERVICE_ACCOUNT: ACCOUNT }).variable).toBe('CHAT_AUDIENCE');
});

test('the classic modes ignore CHAT_ADDON_SERVICE_ACCOUNT; only URL modes have an endpoint URL', () => {
  const byNumber = loadEventsConfig(env({ CHAT_AUDIENCE_MODE: 'project-number', CHAT_AUDIENCE: '123456789012', CHAT_ADDON_SERVICE_ACCOUNT: ACCOUNT }));
  expect(byNumber.addonServiceAccount).toBeUndefined();
  expect(byNumber.endpointUrl).toBeUndefined();
  const byUrl = loadEventsConfig(env({ CHAT_AUDIENCE_MODE: 'endpoint-url', CHAT_AUDIENCE: ENDPOINT }));
  expect(byUrl.endpointUrl).toBe(ENDPOINT);
  expect(byUrl.addonServiceAccount).toBeUndefined();
});

test('an unknown mode names the three modes', () => {
  expect(configError({ CHAT_AUDIENCE_MODE: 'add-on', CHAT_AUDIENCE: ENDPOINT }).message).toContain('project-number, endpoint-url, addon');
});
