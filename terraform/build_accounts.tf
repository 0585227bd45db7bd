# Who builds and who deploys. Since mid-2024 a new project's default build service account may lack
# what a functions build needs, so the builds run as chat-build with exactly that; Cloud Build's
# deploy (cloudbuild.yaml) runs as chat-deployer with what its gcloud calls need.

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "chat-build"
  display_name = "Chat app: builds the functions' images (Cloud Functions builds)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "deployer" {
  project      = var.project_id
  account_id   = "chat-deployer"
  display_name = "Chat app: runs cloudbuild.yaml (deploys the functions)"
  depends_on   = [google_project_service.apis]
}

locals {
  build_service_account = coalesce(var.build_service_account, google_service_account.build.id)

  # A functions build writes its log, reads the uploaded source and pushes the image
  # (https://cloud.google.com/functions/docs/securing/build-custom-sa).
  build_roles = toset(["roles/logging.logWriter", "roles/storage.objectViewer", "roles/artifactregistry.writer"])

  # cloudbuild.yaml's gcloud calls: deploy functions, set Cloud Run invoker policies, read the
  # worker's Eventarc trigger, configure its subscription and that subscription's IAM policy, read
  # function labels; and write the build's own log (the build logs to Cloud Logging only).
  deployer_roles = toset([
    "roles/cloudfunctions.developer",
    "roles/run.admin",
    "roles/eventarc.viewer",
    "roles/pubsub.admin",
    "roles/logging.logWriter",
  ])

  # Deploying a function as an account, or building as one, needs actAs on it.
  deployer_acts_as = {
    events   = google_service_account.events.name
    worker   = google_service_account.worker.name
    webhooks = google_service_account.webhooks.name
    trigger  = google_service_account.trigger.name
    build    = google_service_account.build.name
  }
}

resource "google_project_iam_member" "build" {
  for_each = local.build_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_project_iam_member" "deployer" {
  for_each = local.deployer_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = local.deployer_acts_as

  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}
