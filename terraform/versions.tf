terraform {
  # check blocks need 1.5; terraform_data needs 1.4.
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x: test/deploy checks every argument against hashicorp/google 6.50.0's schema
      # (test/deploy/provider-schema); a new major may drop or rename arguments, so move this pin and
      # regenerate that schema together.
      version = ">= 6.0, < 7.0"
    }
    google-beta = {
      # Only for google_project_service_identity (the Pub/Sub service agent), which has no GA resource.
      source  = "hashicorp/google-beta"
      version = ">= 6.0, < 7.0"
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
