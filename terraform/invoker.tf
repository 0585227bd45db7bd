# Who may call chat-events. 2nd gen functions are Cloud Run services, so invocation is the Cloud Run
# Invoker role on the function's service (what `gcloud functions add-invoker-policy-binding` grants).
#   public (default): allUsers. The code verifies every Chat token and every webhook secret itself;
#     required in project-number mode and by /notify's incoming webhooks, which come from outside Google.
#   chat-only: Chat's identity (chat@system.gserviceaccount.com, or the add-on's service account), so
#     Cloud Run IAM checks the ID token before the code runs; /notify webhooks then cannot get in.
resource "google_cloud_run_service_iam_member" "events_invoker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.chat_events.location
  service  = google_cloudfunctions2_function.chat_events.service_config[0].service
  role     = "roles/run.invoker"
  member   = local.events_invoker_member
}
