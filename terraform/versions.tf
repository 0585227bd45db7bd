terraform {
  # check blocks need 1.5; terraform_data needs 1.4.
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # google_cloudfunctions2_function.url and build_config.service_account need 6.x or later.
      version = ">= 6.0, < 8.0"
    }
    google-beta = {
      # Only for google_project_service_identity (the Pub/Sub service agent), which has no GA resource.
      source  = "hashicorp/google-beta"
      version = ">= 6.0, < 8.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4, < 3.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
