# What to enter in Google Cloud console -> Google Chat API -> Configuration, and where things are.

output "chat_events_url" {
  description = "The HTTP endpoint URL to enter in the Chat API configuration (Connection settings)."
  value       = local.chat_endpoint_url
}

output "chat_events_function_url" {
  description = "The URL the platform gave chat-events (https://REGION-PROJECT.cloudfunctions.net/chat-events)."
  value       = one(google_cloudfunctions2_function.chat_events[*].url)
}

output "chat_events_run_uri" {
  description = "The run.app URL of chat-events' Cloud Run service; usable as chat_endpoint_url (two-step, see README)."
  value       = one(google_cloudfunctions2_function.chat_events[*].service_config[0].uri)
}

output "chat_app_configuration" {
  description = "The values to enter in the Chat API configuration page, field by field."
  value = {
    app_name      = "Your app's name (up to 25 characters)"
    avatar_url    = "An https URL of a square PNG or JPEG, at least 256x256"
    description   = "What this app does (up to 40 characters)"
    functionality = "Join spaces and group conversations: on"
    connection_settings = local.pubsub_connection ? {
      type                    = "Cloud Pub/Sub"
      topic_name              = "projects/${var.project_id}/topics/${var.chat_events_topic}"
      http_endpoint_url       = null
      authentication_audience = null
      audience_value          = null
      addon_service_account   = null
      } : {
      type                    = "HTTP endpoint URL"
      topic_name              = null
      http_endpoint_url       = local.chat_endpoint_url
      authentication_audience = var.chat_audience_mode == "project-number" ? "Project Number" : "HTTP endpoint URL"
      audience_value          = local.chat_audience
      addon_service_account   = var.chat_audience_mode == "addon" ? local.chat_addon_service_account : null
    }
    # Poll permalinks (<endpoint URL>/polls/<space>/<poll>) get a preview card when posted in a space.
    link_previews = {
      host_pattern = local.endpoint_url_parts[0]
      path_prefix  = trimprefix("${trimsuffix(coalesce(local.endpoint_url_parts[1], "/"), "/")}/polls", "/")
    }
    commands = [
      for command in local.chat_commands : {
        command_id   = command.id
        command_type = "Slash command"
        name         = command.name
        description  = command.description
        # Chat shows no dialogs over Pub/Sub: such a command answers what it declared instead (README).
        open_dialog = command.open_dialog && !local.pubsub_connection
      }
    ]
  }
}

output "chat_commands_table" {
  description = "The slash commands as a table to copy from."
  value = join("\n", concat(
    ["Command ID | Name     | Open a dialog | Description", "---------- | -------- | ------------- | -----------"],
    [for command in local.chat_commands : format("%-10d | %-8s | %-13s | %s", command.id, command.name, command.open_dialog ? "yes" : "no", command.description)],
  ))
}

output "events_invoker_member" {
  description = "Who may invoke chat-events: Chat's identity, or allUsers (project-number mode, or events_invoker = \"public\")."
  value       = local.events_invoker_member
}

output "chat_webhooks_url" {
  description = "The public URL of chat-webhooks (CHAT_WEBHOOKS_URL), the base of the URLs /notify hands out."
  value       = local.webhooks_url
}

output "service_accounts" {
  description = "The identities of the functions and of the worker's trigger."
  value = {
    chat_events   = google_service_account.events.email
    chat_worker   = google_service_account.worker.email
    chat_webhooks = google_service_account.webhooks.email
    trigger       = google_service_account.trigger.email
    build         = google_service_account.build.email
    deployer      = google_service_account.deployer.email
  }
}

output "jobs_topic" {
  description = "The Pub/Sub topic jobs are published to (JOBS_TOPIC)."
  value       = google_pubsub_topic.jobs.name
}

output "dead_letter_subscription" {
  description = "Pull subscription on the dead-letter topic: gcloud pubsub subscriptions pull <this> --limit=10"
  value       = google_pubsub_subscription.dead_letter_inspect.name
}

output "worker_trigger" {
  description = "The Eventarc trigger Cloud Functions created for chat-worker."
  value       = one(google_cloudfunctions2_function.chat_worker[*].event_trigger[0].trigger)
}

output "worker_subscription_commands" {
  description = "The gcloud commands that set the dead-letter policy and retry backoff on the worker's Eventarc subscription (run by terraform unless configure_worker_subscription = false)."
  value       = local.worker_subscription_script
}

output "logs_commands" {
  description = "Commands to read the functions' logs."
  value = {
    chat_events   = "gcloud functions logs read ${local.events_function_name} --project=${var.project_id} --region=${var.region} --limit=50"
    chat_worker   = "gcloud functions logs read ${local.worker_function_name} --project=${var.project_id} --region=${var.region} --limit=50"
    chat_webhooks = "gcloud functions logs read ${local.webhooks_function_name} --project=${var.project_id} --region=${var.region} --limit=50"
  }
}
