# Dead-letter policy and retry backoff for the worker's delivery, and chat-pubsub's (Pub/Sub connection).
#
# The push subscription that feeds chat-worker is created and owned by Eventarc (together with the
# function's trigger), so the google provider cannot manage it: neither google_cloudfunctions2_function
# nor any other resource exposes its dead_letter_policy or retry_policy. These gcloud commands set them
# on that subscription, pin its ack deadline to the worker's timeout (Pub/Sub must not redeliver a
# job that is still running) and give the Pub/Sub service agent the subscriber role there, which dead
# lettering needs. They run again whenever the trigger (and so its subscription) is replaced.
#
# configure_worker_subscription = false skips them; the output worker_subscription_commands prints them
# to run by hand (see README, "Dead letters").

locals {
  # projects/P/locations/L/triggers/T; a stand-in when the gcloud paths deploy the worker.
  worker_trigger_parts = split("/", coalesce(one(google_cloudfunctions2_function.chat_worker[*].event_trigger[0].trigger), "projects/-/locations/${var.region}/triggers/-"))
  pubsub_trigger_parts = split("/", coalesce(one(google_cloudfunctions2_function.chat_pubsub[*].event_trigger[0].trigger), "projects/-/locations/${var.region}/triggers/-"))
  # TRIGGER:LOCATION:ACK_DEADLINE of each subscription to configure; the ack deadline covers the function's timeout.
  subscribed_triggers = join(" ", concat(
    ["${element(local.worker_trigger_parts, 5)}:${element(local.worker_trigger_parts, 3)}:${var.worker_timeout_seconds}"],
    local.pubsub_connection ? ["${element(local.pubsub_trigger_parts, 5)}:${element(local.pubsub_trigger_parts, 3)}:${var.events_timeout_seconds}"] : [],
  ))

  worker_subscription_script = <<-EOT
    set -euo pipefail
    for ENTRY in ${local.subscribed_triggers}; do
      IFS=: read -r TRIGGER LOCATION ACK <<< "$ENTRY"
      SUBSCRIPTION="$(gcloud eventarc triggers describe "$TRIGGER" \
        --project='${var.project_id}' --location="$LOCATION" \
        --format='value(transport.pubsub.subscription)')"
      test -n "$SUBSCRIPTION" || { echo "The Eventarc trigger $TRIGGER has no Pub/Sub subscription yet." >&2; exit 1; }
      gcloud pubsub subscriptions update "$SUBSCRIPTION" --project='${var.project_id}' \
        --ack-deadline="$ACK" \
        --dead-letter-topic='${google_pubsub_topic.dead_letter.id}' \
        --max-delivery-attempts=${var.dead_letter_max_delivery_attempts} \
        --min-retry-delay=${var.retry_minimum_backoff_seconds}s \
        --max-retry-delay=${var.retry_maximum_backoff_seconds}s
      gcloud pubsub subscriptions add-iam-policy-binding "$SUBSCRIPTION" --project='${var.project_id}' \
        --member='${local.pubsub_service_agent}' --role='roles/pubsub.subscriber'
    done
  EOT
}

resource "terraform_data" "worker_subscription" {
  count = var.configure_worker_subscription && var.deploy_functions ? 1 : 0

  triggers_replace = [
    google_cloudfunctions2_function.chat_worker[0].event_trigger[0].trigger,
    var.worker_timeout_seconds,
    local.subscribed_triggers,
    google_pubsub_topic.dead_letter.id,
    var.dead_letter_max_delivery_attempts,
    var.retry_minimum_backoff_seconds,
    var.retry_maximum_backoff_seconds,
  ]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    command     = local.worker_subscription_script
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}
