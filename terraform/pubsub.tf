# Pub/Sub: the jobs topic chat-events publishes to, and the dead-letter topic with a pull
# subscription to look at what ended up there. The worker's own subscription is created by Eventarc
# together with the function's trigger (functions.tf); its dead-letter policy and retry backoff are
# set in worker_subscription.tf.

resource "google_pubsub_topic" "jobs" {
  project = var.project_id
  name    = var.jobs_topic
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = var.dead_letter_topic
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

# `gcloud pubsub subscriptions pull chat-jobs-dead-letter-inspect --limit=10` shows dead jobs.
resource "google_pubsub_subscription" "dead_letter_inspect" {
  project = var.project_id
  name    = "${var.dead_letter_topic}-inspect"
  topic   = google_pubsub_topic.dead_letter.id
  labels  = var.labels

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s" # 7 days
  retain_acked_messages      = true      # pulled messages can be seen again with seek

  expiration_policy {
    ttl = "" # never expires for lack of activity
  }
}

# Pub/Sub forwards dead letters as its service agent, which must be allowed to publish to the
# dead-letter topic (it also needs subscriber on the source subscription: worker_subscription.tf).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}
