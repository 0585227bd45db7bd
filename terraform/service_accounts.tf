# One identity per function, each with only what its code uses. The Chat API needs no IAM role: the
# functions call it as themselves with the chat.bot scope, which the Chat app configuration authorises.
# Firestore roles carry an IAM condition: they hold on the app's database and nothing else.

resource "google_service_account" "events" {
  project      = var.project_id
  account_id   = "chat-events"
  display_name = "Chat app: chat-events (HTTP endpoint)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "worker" {
  project      = var.project_id
  account_id   = "chat-worker"
  display_name = "Chat app: chat-worker (job runner)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "webhooks" {
  project      = var.project_id
  account_id   = "chat-webhooks"
  display_name = "Chat app: chat-webhooks (incoming webhooks)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "chat-worker-trigger"
  display_name = "Chat app: Eventarc trigger that pushes jobs to chat-worker"
  depends_on   = [google_project_service.apis]
}

locals {
  # The functions that read and write Firestore, and those that publish jobs.
  firestore_users = {
    events   = google_service_account.events.email
    worker   = google_service_account.worker.email
    webhooks = google_service_account.webhooks.email
  }
  jobs_publishers = {
    events   = google_service_account.events.email
    webhooks = google_service_account.webhooks.email
  }
}

# Deliveries, spaces, jobs and webhooks in the app's Firestore database, and no other database.
resource "google_project_iam_member" "datastore_user" {
  for_each = local.firestore_users

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"

  condition {
    title       = local.firestore_condition.title
    description = local.firestore_condition.description
    expression  = local.firestore_condition.expression
  }
}

# Publishing to the jobs topic, on that topic only.
resource "google_pubsub_topic_iam_member" "jobs_publisher" {
  for_each = local.jobs_publishers

  project = var.project_id
  topic   = google_pubsub_topic.jobs.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${each.value}"
}

# Pub/Sub signs the push requests to chat-worker with the trigger's identity (needed in projects
# created before April 2021; harmless after).
resource "google_service_account_iam_member" "pubsub_signs_as_trigger" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}
