/**
 * The Terraform CLI, offline. init and validate need the providers, which cannot be downloaded here;
 * `terraform fmt -check` and `terraform console` on a module without providers run anyway:
 *   - fmt proves every file parses as HCL and is formatted;
 *   - console evaluates variables.tf (defaults and validations) and locals.tf (the functions'
 *     environments) with Terraform's own semantics, with the two provider-computed values stubbed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURES } from '../../functions/app';
import { AUDIENCE_MODES, loadEventsConfig, loadPubsubConfig, loadWorkerConfig } from '../../shared/config';
import { commandsOf } from '../../shared/routing/feature';
import { expressionOf, loadTerraform, REPO_ROOT, requiredVariables, TERRAFORM_DIR } from './support';

const PROJECT = 'my-chat-project';
const NUMBER = '123456789012';

let workDir: string;
let stubModule: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'tf-offline-'));
  writeFileSync(join(workDir, 'terraformrc'), ''); // keeps terraform from warning about ~/.terraformrc
  // variables.tf and locals.tf alone (with the commands.json locals.tf reads), with what only the providers know replaced by fixed values.
  stubModule = join(workDir, 'module');
  mkdirSync(stubModule);
  writeFileSync(join(stubModule, 'variables.tf'), readFileSync(join(TERRAFORM_DIR, 'variables.tf'), 'utf8'));
  const locals = readFileSync(join(TERRAFORM_DIR, 'locals.tf'), 'utf8')
    .replace(/^data "google_project" "this" \{[\s\S]*?^\}\n/m, '')
    .replace(/data\.google_project\.this\.number/g, `"${NUMBER}"`)
    .replace(/google_project_service_identity\.pubsub\.email/g, `"service-${NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"`);
  writeFileSync(join(stubModule, 'locals.tf'), locals);
  writeFileSync(join(stubModule, 'commands.json'), readFileSync(join(TERRAFORM_DIR, 'commands.json'), 'utf8'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function terraform(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync('terraform', args, {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(workDir, 'terraformrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', NO_COLOR: '1' },
  });
  if (result.error) {
    throw new Error(
      `terraform could not be run (${result.error.message}). The deploy checks need it: install Terraform 1.5 or newer ` +
        '(https://developer.hashicorp.com/terraform/install) and run the tests again.',
    );
  }
  return result;
}

/** Evaluates one expression in the stub module with `terraform console`. */
function evaluate(expression: string, vars: Record<string, string>) {
  const args = ['console', '-no-color', ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`)];
  return terraform(args, { cwd: stubModule, input: `jsonencode(${expression})\n` });
}

function evaluateJson(expression: string, vars: Record<string, string>): unknown {
  const result = evaluate(expression, vars);
  // terraform console exits 0 even when a variable is rejected; the errors go to stderr.
  if (result.status !== 0 || /Error:/.test(result.stderr)) throw new Error(`terraform console failed:\n${result.stderr}`);
  return JSON.parse(JSON.parse(result.stdout.trim()) as string);
}

describe('terraform CLI (offline)', () => {
  it('accepts the defaults (a plan needs only project_id and chat_audience_mode)', () => {
    expect(evaluate('var.project_id', { project_id: PROJECT, chat_audience_mode: 'endpoint-url' }).stderr).toBe('');
  });

  it('finds nothing to reformat (terraform fmt -check -recursive terraform)', () => {
    const result = terraform(['fmt', '-check', '-recursive', '-diff', 'terraform']);
    if (result.status !== 0) {
      throw new Error(`terraform fmt -check failed (run \`terraform fmt -recursive terraform\`):\n${result.stdout}${result.stderr}`);
    }
    expect(result.status).toBe(0);
  });

  it.each([...AUDIENCE_MODES])('%s mode: Terraform computes environments the code loads', (mode) => {
    const vars = { project_id: PROJECT, chat_audience_mode: mode };
    const events = evaluateJson('local.events_env', vars) as Record<string, string>;
    const worker = evaluateJson('local.worker_env', vars) as Record<string, string>;
    expect(requiredVariables(loadEventsConfig, events).missing).toEqual([]);
    expect(requiredVariables(loadWorkerConfig, worker).missing).toEqual([]);
    const config = loadEventsConfig(events);
    expect(config.audienceMode).toBe(mode);
    expect(config.audience).toBe(mode === 'project-number' ? NUMBER : `https://us-central1-${PROJECT}.cloudfunctions.net/chat-events`);
    expect(loadWorkerConfig(worker).projectId).toBe(PROJECT);
  });

  it('chat_connection = "pubsub": no audience mode needed; Terraform computes an environment chatPubsub loads', () => {
    const vars = { project_id: PROJECT, chat_connection: 'pubsub' };
    const env = evaluateJson('local.pubsub_env', vars) as Record<string, string>;
    expect(requiredVariables(loadPubsubConfig, env).missing).toEqual([]);
    expect(loadPubsubConfig(env)).toMatchObject({ projectId: PROJECT, eventsTopic: 'chat-events', deadLetterTopic: 'chat-jobs-dead-letter' });
    expect(evaluate('var.chat_connection', { ...vars, chat_connection: 'grpc' }).stderr).toMatch(/chat_connection must be/);
  });

  it("prints the app's commands in the console-setup table (output chat_commands_table)", async () => {
    const table = expressionOf((await loadTerraform()).outputs.chat_commands_table.value);
    if (!table) throw new Error('output chat_commands_table must be one expression');
    // terraform console reads one line; the expression's line breaks are all outside strings.
    const lines = (evaluateJson(table.replace(/\n\s*/g, ' '), { project_id: PROJECT, chat_audience_mode: 'endpoint-url' }) as string).split('\n');
    const rows = lines.slice(2).map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows).toEqual(commandsOf(FEATURES).map((c) => [String(c.id), c.name, c.opensDialog ? 'yes' : 'no', c.description]));
  });

  it('labels the functions it deploys as its own, keeping the user\'s labels', () => {
    expect(evaluateJson('local.function_labels', { project_id: PROJECT, chat_audience_mode: 'endpoint-url', labels: '{team="chat"}' })).toEqual({ team: 'chat', 'deployed-by': 'terraform' });
  });

  it('computes the Chat API link-preview settings from the endpoint URL', () => {
    const parts = (url: string) => evaluateJson('local.endpoint_url_parts', { project_id: PROJECT, chat_audience_mode: 'endpoint-url', chat_endpoint_url: url });
    expect(parts('https://chat.example.com/app/')).toEqual(['chat.example.com', '/app/']);
    expect(parts('https://chat.example.com')).toEqual(['chat.example.com', null]);
  });

  it.each([
    ['project_id', 'My_Project', /project id/],
    ['chat_audience_mode', 'jwt', /chat_audience_mode must be/],
    ['events_invoker', 'everyone', /events_invoker must be/],
    ['chat_endpoint_url', 'http://insecure.example.com/', /https URL/],
    ['events_memory', '512MB', /Mi or Gi/],
    ['worker_timeout_seconds', '600', /between 10 and 540/],
    ['chat_response_budget_ms', '29000', /between 100 and 28000/],
    ['dead_letter_max_delivery_attempts', '3', /between 5 and 100/],
    ['chat_addon_service_account', 'someone@example.com', /gcp-sa-gsuiteaddons/],
  ])('rejects %s = %s', (name, value, message) => {
    const result = evaluate('var.project_id', { project_id: PROJECT, chat_audience_mode: 'endpoint-url', [name]: value });
    const errors = result.stderr.replace(/\s*│\s*/g, ' ');
    expect(errors).toContain('Invalid value for variable');
    expect(errors).toMatch(message);
  });
});
