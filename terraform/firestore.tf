# Firestore: the (default) database in native mode and a TTL policy on every TTL field the code
# writes. Queries need no composite index: jobs are queried by equality on `space` alone, which the
# automatic single-field index serves; deliveries and spaces are read by document id.

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

  # An empty block turns the TTL policy on. index_config is left out so the field keeps the automatic
  # single-field indexes.
  ttl_config {}

  depends_on = [google_firestore_database.default]
}

resource "google_firestore_field" "jobs_expire_at" {
  project    = var.project_id
  database   = "(default)"
  collection = "jobs"
  field      = local.ttl_fields["jobs"]

  ttl_config {}

  depends_on = [google_firestore_database.default]
}
