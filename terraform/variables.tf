# Inputs. Names that end up in a function's environment mirror the configuration contract in
# shared/config.ts (same defaults, same bounds), so a value Terraform accepts is one the code accepts.

# ── Project ─────────────────────────────────────────────────────────────────────────────────────

variable "project_id" {
  description = "Google Cloud project id to deploy into. Becomes GOOGLE_CLOUD_PROJECT for both functions."
  type        = string

  validation {
    # Same pattern as shared/config.ts.
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6-30 of a-z, 0-9 and -, starting with a letter."
  }
}

variable "region" {
  description = "Region of both functions, their Eventarc trigger and the source bucket, e.g. us-central1."
  type        = string
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Cloud Functions region such as us-central1 or europe-west1."
  }
}

variable "labels" {
  description = "Labels added to the functions, topics, subscription and bucket (the functions also get deployed-by = terraform)."
  type        = map(string)
  default     = {}
}

variable "deploy_functions" {
  description = <<-EOT
    Whether Terraform deploys the three functions' code (and their invoker bindings and the worker subscription's settings).
    true (default): Terraform owns code deploys; Cloud Build and npm run deploy refuse to deploy over functions labelled deployed-by = terraform.
    false: Terraform creates everything else (APIs, accounts, roles, Firestore, topics) and Cloud Build or npm run deploy own the functions.
  EOT
  type        = bool
  default     = true
}

# ── Chat connection and request verification ───────────────────────────────────────────────────

variable "chat_connection" {
  description = <<-EOT
    How Chat reaches the app (the Chat API configuration's Connection settings).
    "http": an HTTP endpoint URL, chat-events (chat_audience_mode says how its requests are verified).
    "pubsub": a Cloud Pub/Sub topic (chat_events_topic) that Chat publishes to as chat-api-push@system.gserviceaccount.com,
    read by chat-pubsub; no public URL, chat-events is not deployed, and chat_audience_mode is not used (README, Connection modes).
  EOT
  type        = string
  default     = "http"

  validation {
    condition     = contains(["http", "pubsub"], var.chat_connection)
    error_message = "chat_connection must be \"http\" or \"pubsub\"."
  }
}

variable "chat_events_topic" {
  description = "CHAT_EVENTS_TOPIC: with chat_connection = \"pubsub\", the topic entered in the Chat API's connection settings."
  type        = string
  default     = "chat-events"

  validation {
    # Same pattern as shared/config.ts.
    condition     = can(regex("^[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}$", var.chat_events_topic))
    error_message = "chat_events_topic must be a Pub/Sub topic id (3-255 characters, starting with a letter)."
  }
}

variable "chat_audience_mode" {
  description = <<-EOT
    Authentication Audience chosen in the Chat API configuration (Connection settings). Becomes CHAT_AUDIENCE_MODE.
    Required with chat_connection = "http"; unused (null) with "pubsub".
    "endpoint-url": Chat sends a Google-signed ID token whose aud is the HTTP endpoint URL (recommended).
    "project-number": Chat sends a self-signed JWT whose aud is the project number.
    "addon": the Chat app is a Google Workspace add-on; its ID token's aud is the endpoint URL and its email the add-on's service account.
  EOT
  type        = string
  default     = null

  validation {
    # The modes shared/config.ts accepts (AUDIENCE_MODES); null only for the Pub/Sub connection (functions.tf checks).
    condition     = var.chat_audience_mode == null ? true : contains(["project-number", "endpoint-url", "addon"], var.chat_audience_mode)
    error_message = "chat_audience_mode must be \"project-number\", \"endpoint-url\" or \"addon\"."
  }
}

variable "chat_endpoint_url" {
  description = <<-EOT
    The exact HTTP endpoint URL entered in the Chat API configuration; also CHAT_EVENTS_URL, the public URL /notify builds webhook URLs
    from. In endpoint-url and addon modes it is also CHAT_AUDIENCE and must match
    character for character (scheme, host, path, trailing slash). Default (null): the function's own URL,
    https://REGION-PROJECT_ID.cloudfunctions.net/chat-events, which is known before the function exists. Set it when you use another URL
    (the run.app URL from the output chat_events_run_uri, or a custom domain) - see README, "The endpoint URL".
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.chat_endpoint_url == null || can(regex("^https://[^\\s,]+$", var.chat_endpoint_url))
    error_message = "chat_endpoint_url must be an https URL without spaces or commas."
  }
}

variable "chat_project_number" {
  description = "project-number mode only: the number of the project whose Chat API configuration sends the events (CHAT_AUDIENCE). Default (null): this project's number."
  type        = string
  default     = null

  validation {
    condition     = var.chat_project_number == null || can(regex("^[0-9]{1,20}$", var.chat_project_number))
    error_message = "chat_project_number must be digits only."
  }
}

variable "chat_addon_service_account" {
  description = "addon mode only: the add-on's service account shown in the Chat API configuration (CHAT_ADDON_SERVICE_ACCOUNT). Default (null): service-PROJECT_NUMBER@gcp-sa-gsuiteaddons.iam.gserviceaccount.com of this project."
  type        = string
  default     = null

  validation {
    # Same pattern as shared/config.ts (ADDON_SERVICE_ACCOUNT_PATTERN).
    condition     = var.chat_addon_service_account == null || can(regex("^service-[0-9]{1,20}@gcp-sa-gsuiteaddons\\.iam\\.gserviceaccount\\.com$", var.chat_addon_service_account))
    error_message = "chat_addon_service_account must look like service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com."
  }
}

variable "events_invoker" {
  description = <<-EOT
    Who may invoke chat-events. null (default): "chat-only" in endpoint-url and addon modes, "public" in project-number mode.
    "chat-only": only Chat's identity (chat@system.gserviceaccount.com, or the add-on's service account in addon mode), so Cloud Run IAM
    checks Chat's Google-signed ID token before any code runs (the code still verifies it too). "public": allUsers; the code alone
    verifies every token. project-number mode must be public: IAM cannot check its self-signed JWT. Incoming webhooks have their own
    public function (chat-webhooks) in every mode.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.events_invoker == null || contains(["chat-only", "public"], coalesce(var.events_invoker, "public"))
    error_message = "events_invoker must be \"chat-only\" or \"public\" (or unset)."
  }
}

variable "chat_certs_url" {
  description = "Optional CHAT_CERTS_URL: where the signing certificates are fetched. Default (null): not set, the code picks Google's URL for the audience mode."
  type        = string
  default     = null

  validation {
    condition     = var.chat_certs_url == null || can(regex("^https://[^\\s,]+$", var.chat_certs_url))
    error_message = "chat_certs_url must be an https URL without spaces or commas."
  }
}

variable "chat_api_root_url" {
  description = "Optional CHAT_API_ROOT_URL for both functions. Default (null): not set, the code uses https://chat.googleapis.com/."
  type        = string
  default     = null

  validation {
    condition     = var.chat_api_root_url == null || can(regex("^https://[^\\s,]+$", var.chat_api_root_url))
    error_message = "chat_api_root_url must be an https URL without spaces or commas."
  }
}

variable "link_preview_pattern" {
  description = "Optional LINK_PREVIEW_PATTERN: the regular expression for poll permalinks the app previews. Default (null): not set, the code's default."
  type        = string
  default     = null
}

# ── Runtime tunables (environment of the functions; bounds as in shared/config.ts) ─────────────

variable "chat_response_budget_ms" {
  description = "CHAT_RESPONSE_BUDGET_MS: the synchronous answer leaves within this many ms (Chat waits 30 s at most)."
  type        = number
  default     = 20000

  validation {
    condition     = var.chat_response_budget_ms >= 100 && var.chat_response_budget_ms <= 28000 && floor(var.chat_response_budget_ms) == var.chat_response_budget_ms
    error_message = "chat_response_budget_ms must be a whole number between 100 and 28000."
  }
}

variable "webhook_posts_per_minute" {
  description = "WEBHOOK_POSTS_PER_MINUTE: posts one incoming webhook (/notify) may make per minute."
  type        = number
  default     = 10

  validation {
    condition     = var.webhook_posts_per_minute >= 1 && var.webhook_posts_per_minute <= 600 && floor(var.webhook_posts_per_minute) == var.webhook_posts_per_minute
    error_message = "webhook_posts_per_minute must be a whole number between 1 and 600."
  }
}

variable "delivery_wait_ms" {
  description = "DELIVERY_WAIT_MS: how long a concurrent repeat of a delivery waits for the first one before answering {}."
  type        = number
  default     = 5000

  validation {
    condition     = var.delivery_wait_ms >= 0 && var.delivery_wait_ms <= 25000 && floor(var.delivery_wait_ms) == var.delivery_wait_ms
    error_message = "delivery_wait_ms must be a whole number between 0 and 25000."
  }
}

variable "webhooks_per_space" {
  description = "WEBHOOKS_PER_SPACE: incoming webhooks a space may have at once (/notify refuses another)."
  type        = number
  default     = 10

  validation {
    condition     = var.webhooks_per_space >= 1 && var.webhooks_per_space <= 100 && floor(var.webhooks_per_space) == var.webhooks_per_space
    error_message = "webhooks_per_space must be a whole number between 1 and 100."
  }
}

variable "delivery_ttl_hours" {
  description = "DELIVERY_TTL_HOURS: how long a delivery record and its stored answer are kept (TTL field deliveries.expireAt)."
  type        = number
  default     = 6

  validation {
    condition     = var.delivery_ttl_hours >= 1 && var.delivery_ttl_hours <= 168 && floor(var.delivery_ttl_hours) == var.delivery_ttl_hours
    error_message = "delivery_ttl_hours must be a whole number between 1 and 168."
  }
}

variable "job_ttl_days" {
  description = "JOB_TTL_DAYS: how long a finished job document is kept (TTL field jobs.expireAt)."
  type        = number
  default     = 7

  validation {
    condition     = var.job_ttl_days >= 1 && var.job_ttl_days <= 365 && floor(var.job_ttl_days) == var.job_ttl_days
    error_message = "job_ttl_days must be a whole number between 1 and 365."
  }
}

variable "job_max_attempts" {
  description = "JOB_MAX_ATTEMPTS: attempts per job, counted in Firestore, before the worker marks it FAILED and tells the space."
  type        = number
  default     = 5

  validation {
    condition     = var.job_max_attempts >= 1 && var.job_max_attempts <= 100 && floor(var.job_max_attempts) == var.job_max_attempts
    error_message = "job_max_attempts must be a whole number between 1 and 100."
  }
}

variable "job_lease_ms" {
  description = "JOB_LEASE_MS: a RUNNING job whose lease is older than this is taken to have died (a live attempt renews it every third of it)."
  type        = number
  default     = 60000

  validation {
    condition     = var.job_lease_ms >= 1000 && var.job_lease_ms <= 3600000 && floor(var.job_lease_ms) == var.job_lease_ms
    error_message = "job_lease_ms must be a whole number between 1000 and 3600000."
  }
}

variable "store_timeout_ms" {
  description = "STORE_TIMEOUT_MS: longest a delivery-record operation may take before Chat is told to retry (503)."
  type        = number
  default     = 5000

  validation {
    condition     = var.store_timeout_ms >= 100 && var.store_timeout_ms <= 20000 && floor(var.store_timeout_ms) == var.store_timeout_ms
    error_message = "store_timeout_ms must be a whole number between 100 and 20000."
  }
}

variable "chat_api_timeout_ms" {
  description = "CHAT_API_TIMEOUT_MS: a Chat API call unanswered after this long is a network error, retried."
  type        = number
  default     = 15000

  validation {
    condition     = var.chat_api_timeout_ms >= 100 && var.chat_api_timeout_ms <= 120000 && floor(var.chat_api_timeout_ms) == var.chat_api_timeout_ms
    error_message = "chat_api_timeout_ms must be a whole number between 100 and 120000."
  }
}

variable "progress_interval_ms" {
  description = "PROGRESS_INTERVAL_MS: at most one progress update per job in this interval (a space allows 60 writes a minute)."
  type        = number
  default     = 5000

  validation {
    condition     = var.progress_interval_ms >= 0 && var.progress_interval_ms <= 600000 && floor(var.progress_interval_ms) == var.progress_interval_ms
    error_message = "progress_interval_ms must be a whole number between 0 and 600000."
  }
}

# ── Pub/Sub ──────────────────────────────────────────────────────────────────────────────────────

variable "jobs_topic" {
  description = "JOBS_TOPIC: the Pub/Sub topic chat-events publishes jobs to and chat-worker is triggered by. The code's default is chat-jobs."
  type        = string
  default     = "chat-jobs"

  validation {
    # Same pattern as shared/config.ts.
    condition     = can(regex("^[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}$", var.jobs_topic))
    error_message = "jobs_topic must be a Pub/Sub topic id (3-255 characters, starting with a letter)."
  }
}

variable "dead_letter_topic" {
  description = "Topic that receives jobs Pub/Sub gave up on; a pull subscription named <topic>-inspect keeps them for inspection."
  type        = string
  default     = "chat-jobs-dead-letter"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9\\-_.~+%]{2,240}$", var.dead_letter_topic))
    error_message = "dead_letter_topic must be a Pub/Sub topic id (3-241 characters, starting with a letter)."
  }
}

variable "dead_letter_max_delivery_attempts" {
  description = "Deliveries of one job message before Pub/Sub forwards it to the dead-letter topic. Must exceed job_max_attempts so the worker's own FAILED path (with its message to the space) runs first."
  type        = number
  default     = 10

  validation {
    condition     = var.dead_letter_max_delivery_attempts >= 5 && var.dead_letter_max_delivery_attempts <= 100
    error_message = "dead_letter_max_delivery_attempts must be between 5 and 100 (Pub/Sub's bounds)."
  }
}

variable "retry_minimum_backoff_seconds" {
  description = "Minimum delay before Pub/Sub redelivers a job the worker failed (exponential backoff starts here)."
  type        = number
  default     = 10

  validation {
    condition     = var.retry_minimum_backoff_seconds >= 0 && var.retry_minimum_backoff_seconds <= 600
    error_message = "retry_minimum_backoff_seconds must be between 0 and 600."
  }
}

variable "retry_maximum_backoff_seconds" {
  description = "Maximum delay between redeliveries of a failed job."
  type        = number
  default     = 600

  validation {
    condition     = var.retry_maximum_backoff_seconds >= 0 && var.retry_maximum_backoff_seconds <= 600
    error_message = "retry_maximum_backoff_seconds must be between 0 and 600."
  }
}

variable "configure_worker_subscription" {
  description = "Run gcloud (must be installed and logged in where terraform runs) to set the dead-letter policy and retry backoff on the subscription Eventarc creates for chat-worker. false: run the commands from the output worker_subscription_commands yourself."
  type        = bool
  default     = true
}

# ── Firestore ────────────────────────────────────────────────────────────────────────────────────

variable "create_firestore_database" {
  description = "Create the (default) Firestore database in native mode. false if the project already has one (it must be native mode)."
  type        = bool
  default     = true
}

variable "firestore_location" {
  description = "Location of the (default) Firestore database (cannot be changed later), e.g. nam5, eur3, us-central1."
  type        = string
  default     = "nam5"

  validation {
    condition     = can(regex("^[a-z0-9-]+$", var.firestore_location))
    error_message = "firestore_location must be a Firestore location id such as nam5, eur3 or us-central1."
  }
}

variable "firestore_deletion_policy" {
  description = "What terraform destroy does to the Firestore database: ABANDON (keep it and its data) or DELETE."
  type        = string
  default     = "ABANDON"

  validation {
    condition     = contains(["ABANDON", "DELETE"], var.firestore_deletion_policy)
    error_message = "firestore_deletion_policy must be ABANDON or DELETE."
  }
}

# ── Build and source ─────────────────────────────────────────────────────────────────────────────

variable "source_bucket_name" {
  description = "Bucket that holds the zipped source. Default (null): PROJECT_ID-chat-app-source."
  type        = string
  default     = null
}

variable "build_service_account" {
  description = "Service account Cloud Build uses to build the functions, as projects/PROJECT/serviceAccounts/EMAIL. Default (null): chat-build@PROJECT, created here with only the roles a functions build needs."
  type        = string
  default     = null

  validation {
    condition     = var.build_service_account == null || can(regex("^projects/[^/]+/serviceAccounts/[^/]+@[^/]+$", var.build_service_account))
    error_message = "build_service_account must look like projects/PROJECT/serviceAccounts/NAME@PROJECT.iam.gserviceaccount.com."
  }
}

# ── Limits: chat-events (HTTP) ──────────────────────────────────────────────────────────────────

variable "events_memory" {
  description = "Memory of each chat-events instance (Cloud Run units, e.g. 256Mi, 512Mi, 1Gi)."
  type        = string
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.events_memory))
    error_message = "events_memory must be a number followed by Mi or Gi, e.g. 512Mi."
  }
}

variable "events_cpu" {
  description = "vCPUs of each chat-events instance. Concurrency above 1 needs at least 1."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["0.083", "0.167", "0.333", "0.583", "1", "2", "4", "6", "8"], var.events_cpu)
    error_message = "events_cpu must be one of 0.083, 0.167, 0.333, 0.583, 1, 2, 4, 6, 8."
  }
}

variable "events_timeout_seconds" {
  description = "Request timeout of chat-events. Chat waits 30 s; the code answers within chat_response_budget_ms."
  type        = number
  default     = 60

  validation {
    condition     = var.events_timeout_seconds >= 30 && var.events_timeout_seconds <= 3600
    error_message = "events_timeout_seconds must be between 30 and 3600."
  }
}

variable "events_min_instances" {
  description = "Instances of chat-events kept warm (0 = scale to zero; 1 avoids cold starts at a cost)."
  type        = number
  default     = 0

  validation {
    condition     = var.events_min_instances >= 0 && var.events_min_instances <= 100
    error_message = "events_min_instances must be between 0 and 100."
  }
}

variable "events_max_instances" {
  description = "Upper bound on chat-events instances. 20 × 16 requests in flight covers 10x the assumed peak (README, Capacity)."
  type        = number
  default     = 20

  validation {
    condition     = var.events_max_instances >= 1 && var.events_max_instances <= 1000
    error_message = "events_max_instances must be between 1 and 1000."
  }
}

variable "events_concurrency" {
  description = "Concurrent requests per chat-events instance. 16: past that one busy core only queues (README, Capacity), so the platform should add an instance instead."
  type        = number
  default     = 16

  validation {
    condition     = var.events_concurrency >= 1 && var.events_concurrency <= 1000
    error_message = "events_concurrency must be between 1 and 1000."
  }
}

# ── Limits: chat-worker (Pub/Sub) ───────────────────────────────────────────────────────────────

variable "worker_memory" {
  description = "Memory of each chat-worker instance (Cloud Run units, e.g. 256Mi, 512Mi, 1Gi)."
  type        = string
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.worker_memory))
    error_message = "worker_memory must be a number followed by Mi or Gi, e.g. 512Mi."
  }
}

variable "worker_cpu" {
  description = "vCPUs of each chat-worker instance. Concurrency above 1 needs at least 1."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["0.083", "0.167", "0.333", "0.583", "1", "2", "4", "6", "8"], var.worker_cpu)
    error_message = "worker_cpu must be one of 0.083, 0.167, 0.333, 0.583, 1, 2, 4, 6, 8."
  }
}

variable "worker_timeout_seconds" {
  description = "Timeout of one chat-worker run. 540 s is the maximum for event-driven functions."
  type        = number
  default     = 540

  validation {
    condition     = var.worker_timeout_seconds >= 10 && var.worker_timeout_seconds <= 540
    error_message = "worker_timeout_seconds must be between 10 and 540."
  }
}

variable "worker_min_instances" {
  description = "Instances of chat-worker kept warm."
  type        = number
  default     = 0

  validation {
    condition     = var.worker_min_instances >= 0 && var.worker_min_instances <= 100
    error_message = "worker_min_instances must be between 0 and 100."
  }
}

variable "worker_max_instances" {
  description = "Upper bound on chat-worker instances (also bounds parallel Chat API writes)."
  type        = number
  default     = 10

  validation {
    condition     = var.worker_max_instances >= 1 && var.worker_max_instances <= 1000
    error_message = "worker_max_instances must be between 1 and 1000."
  }
}

variable "worker_concurrency" {
  description = "Concurrent job deliveries per chat-worker instance."
  type        = number
  default     = 10

  validation {
    condition     = var.worker_concurrency >= 1 && var.worker_concurrency <= 1000
    error_message = "worker_concurrency must be between 1 and 1000."
  }
}

# ── Monitoring (monitoring.tf) ──────────────────────────────────────────────────────────────────

variable "alert_notification_channels" {
  description = "Notification channels the alert policies notify, as projects/PROJECT/notificationChannels/ID (create them in Cloud Monitoring, or with google_monitoring_notification_channel). Empty: alerts open incidents in the console only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.alert_notification_channels : can(regex("^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$", c))])
    error_message = "alert_notification_channels entries must look like projects/PROJECT/notificationChannels/ID."
  }
}

# ── Limits: chat-webhooks (HTTP, public) ────────────────────────────────────────────────────────

variable "webhooks_memory" {
  description = "Memory of each chat-webhooks instance. A post is at most 16 KiB; 256Mi is plenty."
  type        = string
  default     = "256Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.webhooks_memory))
    error_message = "webhooks_memory must be a number followed by Mi or Gi, e.g. 256Mi."
  }
}

variable "webhooks_cpu" {
  description = "vCPUs of each chat-webhooks instance. Concurrency above 1 needs at least 1."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["0.083", "0.167", "0.333", "0.583", "1", "2", "4", "6", "8"], var.webhooks_cpu)
    error_message = "webhooks_cpu must be one of 0.083, 0.167, 0.333, 0.583, 1, 2, 4, 6, 8."
  }
}

variable "webhooks_timeout_seconds" {
  description = "Request timeout of chat-webhooks: a post is one Firestore transaction and one publish."
  type        = number
  default     = 30

  validation {
    condition     = var.webhooks_timeout_seconds >= 5 && var.webhooks_timeout_seconds <= 300
    error_message = "webhooks_timeout_seconds must be between 5 and 300."
  }
}

variable "webhooks_min_instances" {
  description = "Instances of chat-webhooks kept warm."
  type        = number
  default     = 0

  validation {
    condition     = var.webhooks_min_instances >= 0 && var.webhooks_min_instances <= 100
    error_message = "webhooks_min_instances must be between 0 and 100."
  }
}

variable "webhooks_max_instances" {
  description = "Upper bound on chat-webhooks instances: what a flood of posts from the internet can cost at most."
  type        = number
  default     = 5

  validation {
    condition     = var.webhooks_max_instances >= 1 && var.webhooks_max_instances <= 1000
    error_message = "webhooks_max_instances must be between 1 and 1000."
  }
}

variable "webhooks_concurrency" {
  description = "Concurrent requests per chat-webhooks instance."
  type        = number
  default     = 16

  validation {
    condition     = var.webhooks_concurrency >= 1 && var.webhooks_concurrency <= 1000
    error_message = "webhooks_concurrency must be between 1 and 1000."
  }
}
