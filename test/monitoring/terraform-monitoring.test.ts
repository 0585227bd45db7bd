/**
 * terraform/monitoring.tf offline: the alert policies and the dashboard as Terraform computes them
 * (`terraform console` on the monitoring locals, with the names only the providers know replaced by
 * the names they will have), checked against what Cloud Monitoring accepts and what exists: every
 * metric an alert or a chart reads is defined, every alert has its runbook section.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTerraform, REPO_ROOT, TERRAFORM_DIR, type TerraformConfig } from '../deploy/support';
import { logMetricsOf } from './log-metrics';

const PROJECT = 'my-chat-project';
let tf: TerraformConfig;
let stub: string;

beforeAll(async () => {
  tf = await loadTerraform();
  stub = mkdtempSync(join(tmpdir(), 'tf-monitoring-'));
  writeFileSync(join(stub, 'terraformrc'), '');
  const read = (f: string) => readFileSync(join(TERRAFORM_DIR, f), 'utf8');
  const locals = read('locals.tf')
    .replace(/^data "google_project" "this" \{[\s\S]*?^\}\n/m, '')
    .replace(/data\.google_project\.this\.number/g, '"123456789012"')
    .replace(/google_project_service_identity\.pubsub\.email/g, '"pubsub-agent"');
  // monitoring.tf's locals alone; resource names become the names the resources are given.
  const monitoring = (read('monitoring.tf').match(/^locals \{[\s\S]*?^\}\n/gm) ?? [])
    .join('\n')
    .replace(/google_logging_metric\.(\w+)(?:\["(\w+)"\])?\.name/g, (_m, resource: string, key?: string) => `"${metricName(resource, key)}"`)
    .replace(/google_pubsub_subscription\.dead_letter_inspect\.name/g, '"${var.dead_letter_topic}-inspect"')
    .replace(/google_pubsub_topic\.jobs\.name/g, 'var.jobs_topic');
  writeFileSync(join(stub, 'variables.tf'), read('variables.tf'));
  writeFileSync(join(stub, 'locals.tf'), locals);
  writeFileSync(join(stub, 'monitoring.tf'), monitoring);
  writeFileSync(join(stub, 'commands.json'), read('commands.json'));
});
afterAll(() => rmSync(stub, { recursive: true, force: true }));

function terraformConsole(expression: string, vars: Record<string, string> = {}) {
  const result = spawnSync('terraform', ['console', ...Object.entries({ project_id: PROJECT, chat_audience_mode: 'endpoint-url', ...vars }).map(([k, v]) => `-var=${k}=${v}`)], {
    cwd: stub,
    input: `jsonencode(${expression})\n`,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(stub, 'terraformrc'), CHECKPOINT_DISABLE: '1', NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return result;
}
function evaluate(expression: string): unknown {
  const result = terraformConsole(expression);
  if (result.status !== 0 || /Error:/.test(result.stderr)) throw new Error(`terraform console failed:\n${result.stderr}`);
  return JSON.parse(JSON.parse(result.stdout.trim()) as string);
}

interface Alert {
  name: string;
  severity: string;
  runbook: string;
  filter: string;
  denominator: string | null;
  aligner: string;
  reducer: string;
  period: string;
  threshold: number;
  duration: string;
}
interface Series {
  filter: string;
  aggregation: { alignmentPeriod: string; perSeriesAligner: string; crossSeriesReducer: string; groupByFields: string[] };
}

const BUILT_IN = new Set([
  'run.googleapis.com/request_count',
  'run.googleapis.com/container/instance_count',
  'pubsub.googleapis.com/subscription/num_undelivered_messages',
  'pubsub.googleapis.com/topic/oldest_unacked_message_age_by_region',
]);
const metricTypeOf = (filter: string) => /metric\.type="([^"]+)"/.exec(filter)?.[1];
/** The log-based metrics as Cloud Monitoring will name them, with their value type. */
const logMetrics = () => new Map(logMetricsOf(tf).map((m) => [`logging.googleapis.com/user/${m.name}`, m.valueType]));
/** The name of google_logging_metric.<resource>[<key>]. */
function metricName(resource: string, key?: string): string {
  const block = tf.resources.google_logging_metric[resource];
  if (!block) throw new Error(`no google_logging_metric.${resource}`);
  return key === undefined ? String(block.name) : String(block.name).replace('${each.key}', key);
}
/** Aligner and reducer that Cloud Monitoring accepts for a metric's kind. */
function checkAggregation(metricType: string, aligner: string, reducer: string) {
  const value = logMetrics().get(metricType);
  if (value === 'DISTRIBUTION') {
    expect([metricType, aligner]).toEqual([metricType, 'ALIGN_DELTA']);
    expect(reducer).toMatch(/^REDUCE_PERCENTILE_(50|95|99)$/);
  } else if (value === 'INT64') {
    expect([metricType, aligner]).toEqual([metricType, 'ALIGN_DELTA']);
    expect(reducer).toBe('REDUCE_SUM');
  } else {
    expect(BUILT_IN.has(metricType)).toBe(true);
  }
}

test('every alert reads a defined metric with an aggregation its kind allows', () => {
  const alerts = evaluate('local.alerts') as Record<string, Alert>;
  expect(Object.keys(alerts).sort()).toEqual(['answer_latency', 'chat_api_429', 'dead_letters', 'events_5xx', 'job_backlog', 'job_failures', 'rejected_tokens']);
  for (const alert of Object.values(alerts)) {
    const type = metricTypeOf(alert.filter)!;
    expect([alert.name, logMetrics().has(type) || BUILT_IN.has(type)]).toEqual([alert.name, true]);
    checkAggregation(type, alert.aligner, alert.reducer);
    expect(Number(alert.period.replace(/s$/, '')) % 60).toBe(0);
    expect(Number(alert.duration.replace(/s$/, '')) % 60).toBe(0);
    expect(['CRITICAL', 'ERROR', 'WARNING']).toContain(alert.severity);
    if (alert.denominator !== null) expect(metricTypeOf(alert.denominator)).toBe(type);
  }
  expect(alerts.answer_latency.threshold).toBe(16000); // 80% of the default 20 s budget
  expect(alerts.dead_letters.filter).toContain('resource.labels.subscription_id="chat-jobs-dead-letter-inspect"');
  expect(alerts.job_backlog.filter).toContain('resource.labels.topic_id="chat-jobs"');
});

test('every alert has its section in docs/runbook.md, and the README points to the runbook', () => {
  const runbook = readFileSync(join(REPO_ROOT, 'docs', 'runbook.md'), 'utf8');
  const anchors = [...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
  const alerts = evaluate('local.alerts') as Record<string, Alert>;
  for (const alert of Object.values(alerts)) expect([alert.name, anchors]).toEqual([alert.name, expect.arrayContaining([alert.runbook])]);
  expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('(docs/runbook.md)');
});

test('the dashboard: one tile per chart on a 48-column grid, every series on a defined metric', () => {
  const dashboard = evaluate('local.dashboard') as { displayName: string; mosaicLayout: { columns: number; tiles: Record<string, unknown>[] } };
  const tiles = dashboard.mosaicLayout.tiles as { xPos: number; yPos: number; width: number; height: number; widget: { title: string; xyChart: { dataSets: { timeSeriesQuery: { timeSeriesFilter: Series } }[] } } }[];
  expect(tiles.length).toBeGreaterThanOrEqual(8);
  const cells = new Set<string>();
  for (const tile of tiles) {
    expect(tile.xPos + tile.width).toBeLessThanOrEqual(dashboard.mosaicLayout.columns);
    for (let x = tile.xPos; x < tile.xPos + tile.width; x++) {
      for (let y = tile.yPos; y < tile.yPos + tile.height; y++) {
        expect(cells.has(`${x},${y}`)).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
    for (const { timeSeriesQuery } of tile.widget.xyChart.dataSets) {
      const { filter, aggregation } = timeSeriesQuery.timeSeriesFilter;
      const type = metricTypeOf(filter)!;
      expect([tile.widget.title, logMetrics().has(type) || BUILT_IN.has(type)]).toEqual([tile.widget.title, true]);
      if (logMetrics().has(type)) checkAggregation(type, aggregation.perSeriesAligner, aggregation.crossSeriesReducer);
    }
  }
  // Every log-based metric is on the dashboard.
  const shown = new Set(tiles.flatMap((t) => t.widget.xyChart.dataSets.map((d) => metricTypeOf(d.timeSeriesQuery.timeSeriesFilter.filter))));
  for (const type of logMetrics().keys()) expect([type, shown.has(type)]).toEqual([type, true]);
});

test('alert_notification_channels takes channel ids and refuses anything else', () => {
  expect(evaluate('var.alert_notification_channels')).toEqual([]);
  const good = terraformConsole('var.alert_notification_channels', { alert_notification_channels: '["projects/my-chat-project/notificationChannels/123"]' });
  expect(good.stderr).toBe('');
  const bad = terraformConsole('var.alert_notification_channels', { alert_notification_channels: '["ops@example.com"]' });
  expect(bad.stderr.replace(/\s*│\s*/g, ' ')).toContain('alert_notification_channels entries must look like');
});
