# Operating the app: log-based metrics from the functions' structured log lines, alert policies, and
# a Cloud Monitoring dashboard. Each alert's meaning, query and actions: docs/runbook.md.
#
# The filters read the lines the code writes (shared/http/request-log.ts, shared/jobs/worker.ts,
# shared/chat-api/logged.ts) as Cloud Logging stores them: a 2nd gen function logs as the Cloud Run
# service of the same name. test/monitoring runs the app and checks every filter against its lines.

locals {
  events_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.events_function_name}\""
  worker_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.worker_function_name}\""

  # One filter per log-based metric (the Logging query language).
  log_filters = {
    rejected_tokens     = "${local.events_logs} AND jsonPayload.message=\"chat event\" AND jsonPayload.detail=\"unauthorized\""
    replayed_deliveries = "${local.events_logs} AND jsonPayload.message=\"chat event\" AND (jsonPayload.outcome=\"replayed\" OR jsonPayload.outcome=\"waited\")"
    job_attempts        = "${local.worker_logs} AND jsonPayload.message=\"job attempt\""
    chat_api_429        = "${local.worker_logs} AND jsonPayload.message=\"chat api error\" AND jsonPayload.status=429"
    answer_latency      = "${local.events_logs} AND jsonPayload.message=\"chat event\" AND jsonPayload.latencyMs>=0"
  }

  # Alert thresholds. The latency one follows the response budget: past it Chat gets the fallback.
  alert_latency_ms          = floor(var.chat_response_budget_ms * 0.8)
  alert_job_backlog_seconds = 900
  alert_events_5xx_ratio    = 0.05
  alert_rejected_tokens     = 20
  alert_chat_api_429        = 10

}

resource "google_project_service" "monitoring" {
  project            = var.project_id
  service            = "monitoring.googleapis.com"
  disable_on_destroy = false
}

# ── Log-based metrics ────────────────────────────────────────────────────────────────────────────

# Counters: each counts the lines its filter matches, by the labels named (each label is the
# jsonPayload field of the same name).
resource "google_logging_metric" "counter" {
  for_each = {
    rejected_tokens = {
      description = "chatEvents requests refused because their token did not verify."
      labels      = []
    }
    replayed_deliveries = {
      description = "Chat deliveries answered from a stored answer: replayed (a retry of a finished delivery) or waited (a retry that waited for the first attempt)."
      labels      = ["outcome"]
    }
    job_attempts = {
      description = "chatWorker job deliveries by outcome (done, retry, failed, exhausted, duplicate, busy, missing, malformed, superseded) and kind."
      labels      = ["outcome", "kind"]
    }
    chat_api_429 = {
      description = "Chat API calls answered 429 (quota exhausted), whether the retry then succeeded or not."
      labels      = ["method"]
    }
  }

  project     = var.project_id
  name        = "chat_app/${each.key}"
  description = each.value.description
  filter      = local.log_filters[each.key]

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    dynamic "labels" {
      for_each = each.value.labels
      content {
        key        = labels.value
        value_type = "STRING"
      }
    }
  }

  label_extractors = { for label in each.value.labels : label => "EXTRACT(jsonPayload.${label})" }
}

resource "google_logging_metric" "answer_latency" {
  project     = var.project_id
  name        = "chat_app/answer_latency"
  description = "Time from a Chat request's arrival to its answer (ms), by outcome."
  filter      = local.log_filters.answer_latency

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"

    labels {
      key        = "outcome"
      value_type = "STRING"
    }
  }

  value_extractor  = "EXTRACT(jsonPayload.latencyMs)"
  label_extractors = { outcome = "EXTRACT(jsonPayload.outcome)" }

  bucket_options {
    # 1 ms to ~33 s: 1, 2, 4 ... 32768 ms.
    exponential_buckets {
      num_finite_buckets = 16
      growth_factor      = 2
      scale              = 1
    }
  }
}

# ── Alert policies ───────────────────────────────────────────────────────────────────────────────

locals {
  user_metric = "metric.type=\"logging.googleapis.com/user"
  run_metric  = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.events_function_name}\" AND metric.type=\"run.googleapis.com/request_count\""

  # Every policy has one threshold condition; `denominator` (or null) makes it a ratio. `runbook`
  # is the section of docs/runbook.md that says what it means and what to do.
  alerts = {
    events_5xx = {
      name        = "chat-events answers 5xx"
      severity    = "ERROR"
      runbook     = "chat-events-answers-5xx"
      filter      = "${local.run_metric} AND metric.labels.response_code_class=\"5xx\""
      denominator = local.run_metric
      aligner     = "ALIGN_DELTA"
      reducer     = "REDUCE_SUM"
      period      = "300s"
      threshold   = local.alert_events_5xx_ratio
      duration    = "0s"
    }
    job_failures = {
      name        = "Jobs failing"
      severity    = "ERROR"
      runbook     = "jobs-failing"
      filter      = "${local.user_metric}/${google_logging_metric.counter["job_attempts"].name}\" AND resource.type=\"cloud_run_revision\" AND metric.labels.outcome=one_of(\"failed\", \"exhausted\")"
      denominator = null
      aligner     = "ALIGN_DELTA"
      reducer     = "REDUCE_SUM"
      period      = "300s"
      threshold   = 0
      duration    = "0s"
    }
    dead_letters = {
      name        = "Jobs in the dead-letter topic"
      severity    = "ERROR"
      runbook     = "jobs-in-the-dead-letter-topic"
      filter      = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.dead_letter_inspect.name}\""
      denominator = null
      aligner     = "ALIGN_MAX"
      reducer     = "REDUCE_MAX"
      period      = "300s"
      threshold   = 0
      duration    = "0s"
    }
    job_backlog = {
      name        = "Oldest unacknowledged job too old"
      severity    = "WARNING"
      runbook     = "oldest-unacknowledged-job-too-old"
      filter      = "metric.type=\"pubsub.googleapis.com/topic/oldest_unacked_message_age_by_region\" AND resource.type=\"pubsub_topic\" AND resource.labels.topic_id=\"${google_pubsub_topic.jobs.name}\""
      denominator = null
      aligner     = "ALIGN_MAX"
      reducer     = "REDUCE_MAX"
      period      = "60s"
      threshold   = local.alert_job_backlog_seconds
      duration    = "300s"
    }
    answer_latency = {
      name        = "Answers near the response budget"
      severity    = "WARNING"
      runbook     = "answers-near-the-response-budget"
      filter      = "${local.user_metric}/${google_logging_metric.answer_latency.name}\" AND resource.type=\"cloud_run_revision\""
      denominator = null
      aligner     = "ALIGN_DELTA"
      reducer     = "REDUCE_PERCENTILE_99"
      period      = "300s"
      threshold   = local.alert_latency_ms
      duration    = "0s"
    }
    rejected_tokens = {
      name        = "Token rejections spiking"
      severity    = "WARNING"
      runbook     = "token-rejections-spiking"
      filter      = "${local.user_metric}/${google_logging_metric.counter["rejected_tokens"].name}\" AND resource.type=\"cloud_run_revision\""
      denominator = null
      aligner     = "ALIGN_DELTA"
      reducer     = "REDUCE_SUM"
      period      = "300s"
      threshold   = local.alert_rejected_tokens
      duration    = "0s"
    }
    chat_api_429 = {
      name        = "Chat API answering 429"
      severity    = "WARNING"
      runbook     = "chat-api-answering-429"
      filter      = "${local.user_metric}/${google_logging_metric.counter["chat_api_429"].name}\" AND resource.type=\"cloud_run_revision\""
      denominator = null
      aligner     = "ALIGN_DELTA"
      reducer     = "REDUCE_SUM"
      period      = "300s"
      threshold   = local.alert_chat_api_429
      duration    = "0s"
    }
  }
}

resource "google_monitoring_alert_policy" "app" {
  for_each = local.alerts

  project               = var.project_id
  display_name          = "Chat app: ${each.value.name}"
  combiner              = "OR"
  severity              = each.value.severity
  notification_channels = var.alert_notification_channels
  user_labels           = var.labels

  conditions {
    display_name = each.value.name

    condition_threshold {
      filter             = each.value.filter
      denominator_filter = each.value.denominator
      comparison         = "COMPARISON_GT"
      threshold_value    = each.value.threshold
      duration           = each.value.duration

      aggregations {
        alignment_period     = each.value.period
        per_series_aligner   = each.value.aligner
        cross_series_reducer = each.value.reducer
      }

      dynamic "denominator_aggregations" {
        for_each = each.value.denominator == null ? [] : [each.value]
        content {
          alignment_period     = denominator_aggregations.value.period
          per_series_aligner   = denominator_aggregations.value.aligner
          cross_series_reducer = denominator_aggregations.value.reducer
        }
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    subject   = "Chat app: ${each.value.name}"
    mime_type = "text/markdown"
    content   = "What it means, how to look and what to do: docs/runbook.md, section \"${each.value.name}\" (#${each.value.runbook})."
  }

  depends_on = [google_project_service.monitoring]
}

# ── Dashboard ────────────────────────────────────────────────────────────────────────────────────

locals {
  worker_run_metric = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.worker_function_name}\""

  # One chart per tile: each series is a filter with its aggregation.
  dashboard_charts = [
    {
      title  = "chat-events requests by response class (per second)"
      series = [{ filter = local.run_metric, aligner = "ALIGN_RATE", reducer = "REDUCE_SUM", group_by = ["metric.labels.response_code_class"] }]
    },
    {
      title = "Answer latency, ms (p50, p95, p99; budget ${var.chat_response_budget_ms})"
      series = [for reducer in ["REDUCE_PERCENTILE_50", "REDUCE_PERCENTILE_95", "REDUCE_PERCENTILE_99"] : {
        filter = local.alerts.answer_latency.filter, aligner = "ALIGN_DELTA", reducer = reducer, group_by = []
      }]
    },
    {
      title  = "Replayed and waited deliveries"
      series = [{ filter = "${local.user_metric}/${google_logging_metric.counter["replayed_deliveries"].name}\" AND resource.type=\"cloud_run_revision\"", aligner = "ALIGN_DELTA", reducer = "REDUCE_SUM", group_by = ["metric.labels.outcome"] }]
    },
    {
      title  = "Rejected tokens"
      series = [{ filter = local.alerts.rejected_tokens.filter, aligner = "ALIGN_DELTA", reducer = "REDUCE_SUM", group_by = [] }]
    },
    {
      title  = "Job attempts by outcome"
      series = [{ filter = "${local.user_metric}/${google_logging_metric.counter["job_attempts"].name}\" AND resource.type=\"cloud_run_revision\"", aligner = "ALIGN_DELTA", reducer = "REDUCE_SUM", group_by = ["metric.labels.outcome"] }]
    },
    {
      title  = "Chat API 429s by method"
      series = [{ filter = local.alerts.chat_api_429.filter, aligner = "ALIGN_DELTA", reducer = "REDUCE_SUM", group_by = ["metric.labels.method"] }]
    },
    {
      title  = "Oldest unacknowledged job, seconds"
      series = [{ filter = local.alerts.job_backlog.filter, aligner = "ALIGN_MAX", reducer = "REDUCE_MAX", group_by = [] }]
    },
    {
      title  = "Dead letters waiting on ${google_pubsub_subscription.dead_letter_inspect.name}"
      series = [{ filter = local.alerts.dead_letters.filter, aligner = "ALIGN_MAX", reducer = "REDUCE_MAX", group_by = [] }]
    },
    {
      title = "Instances (chat-events, chat-worker)"
      series = [for service in [local.events_function_name, local.worker_function_name] : {
        filter  = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${service}\" AND metric.type=\"run.googleapis.com/container/instance_count\""
        aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", group_by = ["resource.labels.service_name"]
      }]
    },
  ]

  dashboard = {
    displayName = "Chat app"
    mosaicLayout = {
      columns = 48
      tiles = [for i, chart in local.dashboard_charts : {
        xPos   = (i % 2) * 24
        yPos   = floor(i / 2) * 16
        width  = 24
        height = 16
        widget = {
          title = chart.title
          xyChart = {
            dataSets = [for s in chart.series : {
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = s.filter
                  aggregation = {
                    alignmentPeriod    = "60s"
                    perSeriesAligner   = s.aligner
                    crossSeriesReducer = s.reducer
                    groupByFields      = s.group_by
                  }
                }
              }
            }]
          }
        }
      }]
    }
  }
}

resource "google_monitoring_dashboard" "app" {
  project        = var.project_id
  dashboard_json = jsonencode(local.dashboard)

  depends_on = [google_project_service.monitoring]
}
