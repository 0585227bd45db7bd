/**
 * The log-based metrics of terraform/monitoring.tf as Cloud Logging will have them, read from the
 * parsed configuration: a resource with a literal `for_each` map becomes one metric per key. Only the
 * shapes monitoring.tf uses are understood; anything else throws, so a change is noticed here.
 */
import { expressionOf, type Block, type TerraformConfig } from '../deploy/support';

export interface LogMetric {
  /** The key in local.log_filters. */
  key: string;
  /** `chat_app/...`: the metric type is logging.googleapis.com/user/<name>. */
  name: string;
  valueType: string;
  valueExtractor?: string;
  labelExtractors: Record<string, string>;
}

/** `{ for label in each.value.labels : label => "EXTRACT(jsonPayload.${label})" }` */
const LABELS_FROM_FIELDS = '{ for label in each.value.labels : label => "EXTRACT(jsonPayload.${label})" }';

function instance(block: Block, each?: { key: string; value: Record<string, unknown> }): LogMetric {
  const filter = expressionOf(block.filter) ?? '';
  const key = each && filter === 'local.log_filters[each.key]' ? each.key : /^local\.log_filters\.(\w+)$/.exec(filter)?.[1];
  if (!key) throw new Error(`a log metric's filter must be local.log_filters.<name>, got ${String(block.filter)}`);
  const name = each ? String(block.name).replace('${each.key}', each.key) : String(block.name);
  let labelExtractors: Record<string, string> = {};
  if (typeof block.label_extractors === 'string') {
    if (!each || expressionOf(block.label_extractors) !== LABELS_FROM_FIELDS) throw new Error(`unexpected label_extractors ${block.label_extractors}`);
    const labels = each.value.labels as string[];
    labelExtractors = Object.fromEntries(labels.map((l) => [l, `EXTRACT(jsonPayload.${l})`]));
  } else if (block.label_extractors) {
    labelExtractors = block.label_extractors as Record<string, string>;
  }
  const descriptor = (block.metric_descriptor as { value_type: string }[])[0];
  return { key, name, valueType: descriptor.value_type, labelExtractors, ...(block.value_extractor ? { valueExtractor: String(block.value_extractor) } : {}) };
}

export function logMetricsOf(tf: TerraformConfig): LogMetric[] {
  return Object.values(tf.resources.google_logging_metric ?? {}).flatMap((block) => {
    if (block.for_each === undefined) return [instance(block)];
    if (typeof block.for_each !== 'object' || block.for_each === null) throw new Error(`for_each must be a literal map here, got ${String(block.for_each)}`);
    return Object.entries(block.for_each as Record<string, Record<string, unknown>>).map(([key, value]) => instance(block, { key, value }));
  });
}
