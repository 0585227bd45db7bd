# The three Cloud Functions (2nd gen); with chat_connection = "pubsub", chat-pubsub takes chat-events' place. All are built from the same source archive, as chat-build;
# what differs is the entry point, the trigger, the identity, the environment and the limits.
# deploy_functions = false leaves them (and their invokers) to Cloud Build or npm run deploy.

resource "google_cloudfunctions2_function" "chat_events" {
  count = var.deploy_functions && !local.pubsub_connection ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = local.events_function_name
  description = "Google Chat HTTP endpoint: verifies, deduplicates, routes and answers Chat events."
  labels      = local.function_labels

  build_config {
    runtime         = local.runtime
    entry_point     = local.events_entry_point
    service_account = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source[0].name
        object = google_storage_bucket_object.source[0].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.events.email
    available_memory                 = var.events_memory
    available_cpu                    = var.events_cpu
    timeout_seconds                  = var.events_timeout_seconds
    min_instance_count               = var.events_min_instances
    max_instance_count               = var.events_max_instances
    max_instance_request_concurrency = var.events_concurrency
    ingress_settings                 = "ALLOW_ALL" # Chat calls from the internet
    all_traffic_on_latest_revision   = true
    environment_variables            = local.events_env
  }

  lifecycle {
    precondition {
      condition     = var.chat_audience_mode != null
      error_message = "chat_audience_mode is required with chat_connection = \"http\": project-number, endpoint-url or addon."
    }
    precondition {
      condition     = var.chat_audience_mode == "project-number" ? can(regex("^[0-9]{1,20}$", local.chat_audience)) : can(regex("^https://", local.chat_audience))
      error_message = "CHAT_AUDIENCE must be the project number in project-number mode and the endpoint URL in the other modes."
    }
    precondition {
      condition     = !(var.chat_audience_mode == "project-number" && local.events_invoker == "chat-only")
      error_message = "events_invoker = \"chat-only\" does not work in project-number mode: Chat sends a self-signed JWT that Cloud Run IAM cannot verify."
    }
    precondition {
      condition     = var.events_timeout_seconds * 1000 > var.chat_response_budget_ms
      error_message = "events_timeout_seconds must be longer than chat_response_budget_ms, or the platform cuts the answer off."
    }
    precondition {
      condition     = var.events_concurrency == 1 || tonumber(var.events_cpu) >= 1
      error_message = "events_concurrency above 1 needs events_cpu of at least 1."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.datastore_user,
    google_pubsub_topic_iam_member.jobs_publisher,
    google_project_iam_member.build,
  ]
}

resource "google_cloudfunctions2_function" "chat_worker" {
  count = var.deploy_functions ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = local.worker_function_name
  description = "Google Chat job runner: runs queued jobs and replies through the Chat API."
  labels      = local.function_labels

  build_config {
    runtime         = local.runtime
    entry_point     = local.worker_entry_point
    service_account = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source[0].name
        object = google_storage_bucket_object.source[0].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.worker.email
    available_memory                 = var.worker_memory
    available_cpu                    = var.worker_cpu
    timeout_seconds                  = var.worker_timeout_seconds
    min_instance_count               = var.worker_min_instances
    max_instance_count               = var.worker_max_instances
    max_instance_request_concurrency = var.worker_concurrency
    ingress_settings                 = "ALLOW_INTERNAL_ONLY" # only Eventarc/Pub/Sub push reaches it
    all_traffic_on_latest_revision   = true
    environment_variables            = local.worker_env
  }

  # Eventarc creates the push subscription on the jobs topic. Retries on: a thrown error (Chat API
  # 429/5xx, Firestore contention) makes Pub/Sub redeliver with backoff.
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.jobs.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.trigger.email
  }

  lifecycle {
    precondition {
      condition     = var.dead_letter_max_delivery_attempts > var.job_max_attempts
      error_message = "dead_letter_max_delivery_attempts must exceed job_max_attempts, so the worker marks a job FAILED and tells the space before Pub/Sub dead-letters it."
    }
    precondition {
      condition     = var.retry_minimum_backoff_seconds <= var.retry_maximum_backoff_seconds
      error_message = "retry_minimum_backoff_seconds must not exceed retry_maximum_backoff_seconds."
    }
    precondition {
      condition     = var.worker_concurrency == 1 || tonumber(var.worker_cpu) >= 1
      error_message = "worker_concurrency above 1 needs worker_cpu of at least 1."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.datastore_user,
    google_service_account_iam_member.pubsub_signs_as_trigger,
    google_project_iam_member.build,
  ]
}

# chat-pubsub: Chat's events through the Cloud Pub/Sub connection (chat_connection = "pubsub"), in place
# of chat-events, with its account and limits (events_*). Eventarc creates the push subscription on the
# events topic; retries on, so a failure (store unavailable, Chat API 429/5xx) is redelivered, and the
# subscription's dead-letter policy (worker_subscription.tf) sets aside what keeps failing.
resource "google_cloudfunctions2_function" "chat_pubsub" {
  count = var.deploy_functions && local.pubsub_connection ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = local.pubsub_function_name
  description = "Google Chat events from the app's Pub/Sub topic: deduplicates, routes, answers through the Chat API."
  labels      = local.function_labels

  build_config {
    runtime         = local.runtime
    entry_point     = local.pubsub_entry_point
    service_account = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source[0].name
        object = google_storage_bucket_object.source[0].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.events.email
    available_memory                 = var.events_memory
    available_cpu                    = var.events_cpu
    timeout_seconds                  = var.events_timeout_seconds
    min_instance_count               = var.events_min_instances
    max_instance_count               = var.events_max_instances
    max_instance_request_concurrency = var.events_concurrency
    ingress_settings                 = "ALLOW_INTERNAL_ONLY" # only Eventarc/Pub/Sub push reaches it
    all_traffic_on_latest_revision   = true
    environment_variables            = local.pubsub_env
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.chat_events[0].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.trigger.email
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.datastore_user,
    google_pubsub_topic_iam_member.jobs_publisher,
    google_pubsub_topic_iam_member.events_dead_letters,
    google_service_account_iam_member.pubsub_signs_as_trigger,
    google_project_iam_member.build,
  ]
}

# chat-webhooks: /notify's incoming webhooks, public, small and bounded on its own.
resource "google_cloudfunctions2_function" "chat_webhooks" {
  count = var.deploy_functions ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = local.webhooks_function_name
  description = "Google Chat app incoming webhooks: checks the secret and rate, queues the post."
  labels      = local.function_labels

  build_config {
    runtime         = local.runtime
    entry_point     = local.webhooks_entry_point
    service_account = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source[0].name
        object = google_storage_bucket_object.source[0].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.webhooks.email
    available_memory                 = var.webhooks_memory
    available_cpu                    = var.webhooks_cpu
    timeout_seconds                  = var.webhooks_timeout_seconds
    min_instance_count               = var.webhooks_min_instances
    max_instance_count               = var.webhooks_max_instances
    max_instance_request_concurrency = var.webhooks_concurrency
    ingress_settings                 = "ALLOW_ALL" # other systems post from the internet
    all_traffic_on_latest_revision   = true
    environment_variables            = local.webhooks_env
  }

  lifecycle {
    precondition {
      condition     = var.webhooks_concurrency == 1 || tonumber(var.webhooks_cpu) >= 1
      error_message = "webhooks_concurrency above 1 needs webhooks_cpu of at least 1."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.datastore_user,
    google_pubsub_topic_iam_member.jobs_publisher,
    google_project_iam_member.build,
  ]
}

# The endpoint URL (and in endpoint-url mode the audience) was computed before the function existed.
# If the platform gave the function another URL, Chat's tokens would not match: say so loudly.
check "events_url_matches_prediction" {
  assert {
    condition     = var.chat_endpoint_url != null || !var.deploy_functions || local.pubsub_connection || one(google_cloudfunctions2_function.chat_events[*].url) == local.predicted_events_url
    error_message = "chat-events got the URL ${coalesce(one(google_cloudfunctions2_function.chat_events[*].url), "(none)")}, not the predicted ${local.predicted_events_url}. Set chat_endpoint_url to the URL you enter in the Chat API configuration and apply again."
  }
}
