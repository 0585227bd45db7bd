# Who may invoke the functions. 2nd gen functions are Cloud Run services, so invocation is the Cloud
# Run Invoker role on the function's service (what `gcloud functions add-invoker-policy-binding` grants).
#
# chat-events, by audience mode (local.events_invoker; var.events_invoker overrides):
#   endpoint-url, addon: "chat-only" by default. Chat's identity (chat@system.gserviceaccount.com, or
#     the add-on's service account) only, so Cloud Run IAM checks Chat's Google-signed ID token before
#     any code runs; the code verifies it again.
#   project-number: "public" (allUsers), the only choice: Chat signs with its own key for the project
#     number, which IAM cannot check; the code verifies every token and fails closed.
# Changing the member replaces the binding: create_before_destroy grants the new invoker before the
# old one goes, so Chat is never locked out in between.
resource "google_cloud_run_service_iam_member" "events_invoker" {
  count = var.deploy_functions && !local.pubsub_connection ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.chat_events[0].location
  service  = google_cloudfunctions2_function.chat_events[0].service_config[0].service
  role     = "roles/run.invoker"
  member   = local.events_invoker_member

  lifecycle {
    create_before_destroy = true
  }
}

# chat-webhooks is public in every mode: the systems that post are anywhere; each proves itself with
# its webhook's secret, and the function's own limits bound what a flood costs.
resource "google_cloud_run_service_iam_member" "webhooks_invoker" {
  count = var.deploy_functions ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.chat_webhooks[0].location
  service  = google_cloudfunctions2_function.chat_webhooks[0].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# The Eventarc trigger invokes chat-worker and nothing else.
resource "google_cloud_run_service_iam_member" "trigger_invokes_worker" {
  count = var.deploy_functions ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.chat_worker[0].location
  service  = google_cloudfunctions2_function.chat_worker[0].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# The Eventarc trigger invokes chat-pubsub (the Pub/Sub connection) and nothing else.
resource "google_cloud_run_service_iam_member" "trigger_invokes_pubsub" {
  count = var.deploy_functions && local.pubsub_connection ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.chat_pubsub[0].location
  service  = google_cloudfunctions2_function.chat_pubsub[0].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}
