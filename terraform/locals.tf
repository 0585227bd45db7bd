# Names and environments shared by the resources. scripts/deploy.mjs and cloudbuild.yaml use the same
# names, entry points and variable names (test/deploy checks that they agree).

data "google_project" "this" {
  project_id = var.project_id
  depends_on = [google_project_service.apis]
}

locals {
  runtime = "nodejs22"

  events_function_name   = "chat-events"
  events_entry_point     = "chatEvents"
  worker_function_name   = "chat-worker"
  worker_entry_point     = "chatWorker"
  webhooks_function_name = "chat-webhooks"
  webhooks_entry_point   = "chatWebhooks"
  pubsub_function_name   = "chat-pubsub"
  pubsub_entry_point     = "chatPubsub"

  # Chat's Cloud Pub/Sub connection: chat-pubsub in place of chat-events (docs/chat-protocol.md §13).
  pubsub_connection = var.chat_connection == "pubsub"
  # The account Chat publishes events with: Publisher on the events topic.
  chat_push_publisher = "serviceAccount:chat-api-push@system.gserviceaccount.com"

  # Labels of the functions: deployed-by tells the gcloud paths that Terraform owns their code.
  function_labels = merge(var.labels, { deployed-by = "terraform" })

  # The URL of a 2nd gen function is predictable, so the endpoint URL (and, in endpoint-url mode, the
  # audience) is known before the function exists: no second apply is needed. A check block in
  # functions.tf compares it with the URL the function actually got.
  predicted_events_url = "https://${var.region}-${var.project_id}.cloudfunctions.net/${local.events_function_name}"
  chat_endpoint_url    = coalesce(var.chat_endpoint_url, local.predicted_events_url)
  # /notify hands out this URL; its path keeps the /webhooks/ prefix the endpoint routes on.
  webhooks_url        = "https://${var.region}-${var.project_id}.cloudfunctions.net/${local.webhooks_function_name}"
  chat_project_number = coalesce(var.chat_project_number, data.google_project.this.number)
  endpoint_url_parts  = regex("^https://([^/?#]+)(/[^?#]*)?", local.chat_endpoint_url) # [host, path or null]
  chat_audience       = var.chat_audience_mode == "project-number" ? local.chat_project_number : local.chat_endpoint_url

  # addon mode: the add-on's per-project service account signs (email claim) and may invoke.
  chat_addon_service_account = coalesce(var.chat_addon_service_account, "service-${data.google_project.this.number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com")
  chat_identity              = var.chat_audience_mode == "addon" ? "serviceAccount:${local.chat_addon_service_account}" : "serviceAccount:chat@system.gserviceaccount.com"
  events_invoker             = coalesce(var.events_invoker, var.chat_audience_mode == "project-number" ? "public" : "chat-only")
  events_invoker_member      = local.events_invoker == "chat-only" ? local.chat_identity : "allUsers"

  # Each function's Firestore role holds on the app's database only (an IAM condition on the role).
  firestore_database = "projects/${var.project_id}/databases/(default)"
  firestore_condition = {
    title       = "chat-app-database"
    description = "Only the chat app's Firestore database"
    expression  = "resource.name==\"${local.firestore_database}\""
  }

  pubsub_service_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"

  # Every variable shared/config.ts reads, per function. null means "not set": the code then uses
  # its own default. The maps handed to the functions drop the nulls.
  events_env_all = {
    GOOGLE_CLOUD_PROJECT       = var.project_id
    CHAT_API_ROOT_URL          = var.chat_api_root_url
    JOBS_TOPIC                 = var.jobs_topic
    JOB_TTL_DAYS               = tostring(var.job_ttl_days)
    CHAT_AUDIENCE_MODE         = var.chat_audience_mode
    CHAT_AUDIENCE              = local.chat_audience
    CHAT_ADDON_SERVICE_ACCOUNT = var.chat_audience_mode == "addon" ? local.chat_addon_service_account : null
    CHAT_CERTS_URL             = var.chat_certs_url
    CHAT_RESPONSE_BUDGET_MS    = tostring(var.chat_response_budget_ms)
    CHAT_EVENTS_URL            = local.chat_endpoint_url
    CHAT_WEBHOOKS_URL          = local.webhooks_url
    LINK_PREVIEW_PATTERN       = var.link_preview_pattern
    DELIVERY_WAIT_MS           = tostring(var.delivery_wait_ms)
    DELIVERY_TTL_HOURS         = tostring(var.delivery_ttl_hours)
    STORE_TIMEOUT_MS           = tostring(var.store_timeout_ms)
    WEBHOOKS_PER_SPACE         = tostring(var.webhooks_per_space)
  }

  # What shared/config.ts loadPubsubConfig reads: no audience, the topics instead.
  pubsub_env_all = {
    GOOGLE_CLOUD_PROJECT    = var.project_id
    CHAT_API_ROOT_URL       = var.chat_api_root_url
    JOBS_TOPIC              = var.jobs_topic
    JOB_TTL_DAYS            = tostring(var.job_ttl_days)
    CHAT_EVENTS_TOPIC       = var.chat_events_topic
    DEAD_LETTER_TOPIC       = var.dead_letter_topic
    CHAT_RESPONSE_BUDGET_MS = tostring(var.chat_response_budget_ms)
    # No chat-events here: links the app hands out (poll permalinks) only where chat_endpoint_url names one.
    CHAT_EVENTS_URL      = var.chat_endpoint_url
    CHAT_WEBHOOKS_URL    = local.webhooks_url
    LINK_PREVIEW_PATTERN = var.link_preview_pattern
    DELIVERY_WAIT_MS     = tostring(var.delivery_wait_ms)
    DELIVERY_TTL_HOURS   = tostring(var.delivery_ttl_hours)
    STORE_TIMEOUT_MS     = tostring(var.store_timeout_ms)
    CHAT_API_TIMEOUT_MS  = tostring(var.chat_api_timeout_ms)
    WEBHOOKS_PER_SPACE   = tostring(var.webhooks_per_space)
  }

  worker_env_all = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    CHAT_API_ROOT_URL    = var.chat_api_root_url
    JOBS_TOPIC           = var.jobs_topic
    JOB_TTL_DAYS         = tostring(var.job_ttl_days)
    JOB_MAX_ATTEMPTS     = tostring(var.job_max_attempts)
    JOB_LEASE_MS         = tostring(var.job_lease_ms)
    PROGRESS_INTERVAL_MS = tostring(var.progress_interval_ms)
    CHAT_API_TIMEOUT_MS  = tostring(var.chat_api_timeout_ms)
  }

  webhooks_env_all = {
    GOOGLE_CLOUD_PROJECT     = var.project_id
    CHAT_API_ROOT_URL        = var.chat_api_root_url
    JOBS_TOPIC               = var.jobs_topic
    JOB_TTL_DAYS             = tostring(var.job_ttl_days)
    WEBHOOK_POSTS_PER_MINUTE = tostring(var.webhook_posts_per_minute)
  }

  events_env   = { for name, value in local.events_env_all : name => value if value != null }
  webhooks_env = { for name, value in local.webhooks_env_all : name => value if value != null }
  worker_env   = { for name, value in local.worker_env_all : name => value if value != null }
  pubsub_env   = { for name, value in local.pubsub_env_all : name => value if value != null }

  # The slash commands the app handles; enter them in the Chat API configuration (see outputs).
  # commands.json is written by `npm run generate` from the app's FEATURES: edit those, not the file.
  chat_commands = jsondecode(file("${path.module}/commands.json")).commands
}
