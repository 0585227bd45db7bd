# The code both functions are built from: exactly the files Cloud Functions' Node.js buildpack needs
# (it runs `npm ci` and the `gcp-build` script: tsc, which writes dist/, then the compile cache in
# dist/.compile-cache, functions/build-compile-cache.ts; package.json's main is
# dist/functions/index.js). No node_modules, tests, local stack, Terraform or dist.

locals {
  repo_root = abspath("${path.module}/..")

  # The same lists as SOURCE_FILES and SOURCE_DIRS in scripts/deploy/source.mjs.
  source_root_files = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"]
  source_dirs       = ["functions", "shared"]

  source_files = sort(distinct(concat(
    local.source_root_files,
    flatten([for dir in local.source_dirs : [for file in fileset(local.repo_root, "${dir}/**") : file]]),
  )))
}

data "archive_file" "source" {
  count = var.deploy_functions ? 1 : 0

  type        = "zip"
  output_path = "${path.module}/.build/chat-app-source.zip"

  dynamic "source" {
    for_each = local.source_files
    content {
      content  = file("${local.repo_root}/${source.value}")
      filename = source.value
    }
  }
}

resource "google_storage_bucket" "source" {
  count = var.deploy_functions ? 1 : 0

  project                     = var.project_id
  name                        = coalesce(var.source_bucket_name, "${var.project_id}-chat-app-source")
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  depends_on = [google_project_service.apis]
}

# The object name carries the archive's hash, so a code change is a new object and redeploys both
# functions; an unchanged tree redeploys nothing.
resource "google_storage_bucket_object" "source" {
  count = var.deploy_functions ? 1 : 0

  name   = "chat-app-source-${data.archive_file.source[0].output_md5}.zip"
  bucket = google_storage_bucket.source[0].name
  source = data.archive_file.source[0].output_path
}
