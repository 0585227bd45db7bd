# The APIs the app and its deployment need. disable_on_destroy = false: tearing the app down must not
# switch off APIs that other things in the project may use.

locals {
  apis = toset([
    "artifactregistry.googleapis.com",     # images built for the functions
    "chat.googleapis.com",                 # the Chat app itself and its REST API
    "cloudbuild.googleapis.com",           # builds the functions from source
    "cloudfunctions.googleapis.com",       # Cloud Functions (2nd gen)
    "cloudresourcemanager.googleapis.com", # reading the project number
    "eventarc.googleapis.com",             # the worker's Pub/Sub trigger
    "firestore.googleapis.com",            # deliveries, jobs, spaces
    "iam.googleapis.com",                  # service accounts
    "logging.googleapis.com",              # function logs
    "pubsub.googleapis.com",               # jobs and dead-letter topics
    "run.googleapis.com",                  # 2nd gen functions run on Cloud Run
    "storage.googleapis.com",              # the source bucket
  ])
}

resource "google_project_service" "apis" {
  for_each = local.apis

  project                    = var.project_id
  service                    = each.value
  disable_on_destroy         = false
  disable_dependent_services = false
}

# The Pub/Sub service agent (service-PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com) forwards
# dead letters and signs push tokens. This makes sure it exists before it gets roles below.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project    = var.project_id
  service    = "pubsub.googleapis.com"
  depends_on = [google_project_service.apis]
}
