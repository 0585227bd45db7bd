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

# chat_connection = "pubsub": the topic Chat publishes its events to, named in the Chat API's connection
# settings. Only Chat's push account may publish (and the project's own admins, who can do anything):
# that is all chat-pubsub can trust, since no token comes with a message (docs/chat-protocol.md §13).
resource "google_pubsub_topic" "chat_events" {
  count = local.pubsub_connection ? 1 : 0

  project = var.project_id
  name    = var.chat_events_topic
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic_iam_member" "chat_publishes_events" {
  count = local.pubsub_connection ? 1 : 0

  project = var.project_id
  topic   = google_pubsub_topic.chat_events[0].name
  role    = "roles/pubsub.publisher"
  member  = local.chat_push_publisher
}

# chat-pubsub (as chat-events' account) sets aside a message that is not a Chat event on the
# dead-letter topic itself; the subscription's policy dead-letters the ones that keep failing.
resource "google_pubsub_topic_iam_member" "events_dead_letters" {
  count = local.pubsub_connection ? 1 : 0

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.events.email}"
}

# Pub/Sub forwards dead letters as its service agent, which must be allowed to publish to the
# dead-letter topic (it also needs subscriber on the source subscription: worker_subscription.tf).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}
