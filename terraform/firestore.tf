# Firestore: the (default) database in native mode, a TTL policy on every TTL field the code writes,
# and no single-field indexes on the fields nothing queries. Queries need no composite index: jobs
# and deliveries are queried by equality on `space` (and `status`), spaces on `addedBy.name`, which
# the automatic single-field indexes serve; App Home's collection-group queries by equality get
# single-field indexes in that scope (below); everything else is read by document id.

resource "google_firestore_database" "default" {
  count = var.create_firestore_database ? 1 : 0

  project         = var.project_id
  name            = "(default)"
  location_id     = var.firestore_location
  type            = "FIRESTORE_NATIVE"
  deletion_policy = var.firestore_deletion_policy

  depends_on = [google_project_service.apis]
}

locals {
  # collection group => TTL field. Documents are deleted (within about a day) once the time in the
  # field has passed; the code sets it from DELIVERY_TTL_HOURS and JOB_TTL_DAYS.
  ttl_fields = {
    deliveries = "expireAt"
    jobs       = "expireAt"
  }
}

resource "google_firestore_field" "deliveries_expire_at" {
  project    = var.project_id
  database   = "(default)"
  collection = "deliveries"
  field      = local.ttl_fields["deliveries"]

  # An empty block turns the TTL policy on.
  ttl_config {}
  # An empty block drops the automatic indexes: a timestamp that grows with every write, indexed,
  # caps the collection at 500 writes/s, and nothing queries it.
  index_config {}

  depends_on = [google_firestore_database.default]
}

resource "google_firestore_field" "jobs_expire_at" {
  project    = var.project_id
  database   = "(default)"
  collection = "jobs"
  field      = local.ttl_fields["jobs"]

  ttl_config {}
  index_config {}

  depends_on = [google_firestore_database.default]
}

locals {
  # collection group => fields written on every delivery or job and never queried: timestamps that
  # grow in sequence (the 500 writes/s cap of indexed sequential values) and the stored answer (up
  # to 32 KB). The queried fields (space, status) keep their indexes.
  unindexed_fields = {
    "deliveries/createdAt"   = { collection = "deliveries", field = "createdAt" }
    "deliveries/completedAt" = { collection = "deliveries", field = "completedAt" }
    "deliveries/leaseUntil"  = { collection = "deliveries", field = "leaseUntil" }
    "deliveries/response"    = { collection = "deliveries", field = "response" }
    "jobs/createdAt"         = { collection = "jobs", field = "createdAt" }
    "jobs/updatedAt"         = { collection = "jobs", field = "updatedAt" }
    "jobs/leaseUntil"        = { collection = "jobs", field = "leaseUntil" }
  }
}

resource "google_firestore_field" "unindexed" {
  for_each = local.unindexed_fields

  project    = var.project_id
  database   = "(default)"
  collection = each.value.collection
  field      = each.value.field

  index_config {}

  depends_on = [google_firestore_database.default]
}

locals {
  # collection group => fields App Home queries across all spaces, by equality
  # (functions/app/home/data.ts). Automatic single-field indexes serve one collection only; a
  # collection-group query needs the COLLECTION_GROUP scope, so these fields get both scopes.
  collection_group_fields = {
    "polls/creator.name"      = { collection = "polls", field = "creator.name" }
    "polls/closed"            = { collection = "polls", field = "closed" }
    "webhooks/createdBy.name" = { collection = "webhooks", field = "createdBy.name" }
  }
}

resource "google_firestore_field" "collection_group" {
  for_each = local.collection_group_fields

  project    = var.project_id
  database   = "(default)"
  collection = each.value.collection
  field      = each.value.field

  index_config {
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION"
    }
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }

  depends_on = [google_firestore_database.default]
}
