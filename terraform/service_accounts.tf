# One identity per function, each with only what its code uses. The Chat API needs no IAM role: the
# functions call it as themselves with the chat.bot scope, which the Chat app configuration authorises.

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

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "chat-worker-trigger"
  display_name = "Chat app: Eventarc trigger that pushes jobs to chat-worker"
  depends_on   = [google_project_service.apis]
}

# chat-events: deliveries, spaces and jobs in Firestore ...
resource "google_project_iam_member" "events_datastore_user" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.events.email}"
}

# ... and publishing to the jobs topic, on that topic only.
resource "google_pubsub_topic_iam_member" "events_jobs_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.jobs.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.events.email}"
}

# chat-worker: Firestore only.
resource "google_project_iam_member" "worker_datastore_user" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.worker.email}"
}

# The Eventarc trigger invokes chat-worker and nothing else.
resource "google_cloud_run_service_iam_member" "trigger_invokes_worker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.chat_worker.location
  service  = google_cloudfunctions2_function.chat_worker.service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# Pub/Sub signs the push requests to chat-worker with the trigger's identity (needed in projects
# created before April 2021; harmless after).
resource "google_service_account_iam_member" "pubsub_signs_as_trigger" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}
