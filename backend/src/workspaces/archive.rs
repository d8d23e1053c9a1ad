//! GDPR export and import of a workspace. The archive is a gzip-compressed tar file holding
//! `manifest.json` and one JSON Lines file per table (`<table>.jsonl`, one object per row, keys
//! = column names, integers as numbers, text as strings, NULL as null). The manifest names the
//! format and its version, the workspace schema version, the source workspace and each table's
//! row count. Importing an archive into a new workspace restores every row exactly.

use super::create::{activate, discard, now_millis, provision, Step};
use crate::registry::Registry;
use crate::{BackendError, Db};
use model::account::{check_display_name, Email};
use model::Slug;
use model::{WorkspaceStatus, WorkspaceSummary};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

pub const FORMAT: &str = "iot-rocket-workspace-export";
pub const FORMAT_VERSION: u32 = 1;
/// Most bytes an import reads, all members together (a guard against compression bombs).
const MAX_ARCHIVE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text,
    Int,
    /// A floating-point number (coordinates).
    Real,
}

/// One table of the workspace schema and its columns, in export order.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Col)],
}

/// Every table of the workspace schema (a test checks this against the migrated database, so a
/// migration that adds a table or a column fails the build until it is listed here).
pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            ("id", Col::Text),
            ("email", Col::Text),
            ("name", Col::Text),
            ("password_hash", Col::Text),
            ("role", Col::Text),
            ("created_at", Col::Int),
            ("language", Col::Text),
        ],
    },
    Table {
        name: "device_groups",
        columns: &[
            ("id", Col::Text),
            ("name", Col::Text),
            ("created_at", Col::Int),
        ],
    },
    Table {
        name: "devices",
        columns: &[
            ("id", Col::Text),
            ("external_id", Col::Text),
            ("name", Col::Text),
            ("kind", Col::Text),
            ("group_id", Col::Text),
            ("latitude", Col::Real),
            ("longitude", Col::Real),
            ("tags", Col::Text),
            ("metadata", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    },
    Table {
        name: "group_grants",
        columns: &[
            ("id", Col::Text),
            ("group_id", Col::Text),
            ("user_id", Col::Text),
            ("role", Col::Text),
            ("level", Col::Text),
            ("created_at", Col::Int),
        ],
    },
    Table {
        name: "audit_log",
        columns: &[
            ("id", Col::Text),
            ("at", Col::Int),
            ("actor_id", Col::Text),
            ("action", Col::Text),
            ("detail", Col::Text),
        ],
    },
    Table {
        name: "invitations",
        columns: &[
            ("id", Col::Text),
            ("email", Col::Text),
            ("role", Col::Text),
            ("token_hash", Col::Text),
            ("invited_by", Col::Text),
            ("created_at", Col::Int),
            ("expires_at", Col::Int),
        ],
    },
    Table {
        name: "dashboards",
        columns: &[
            ("id", Col::Text),
            ("name", Col::Text),
            ("visibility", Col::Text),
            ("widgets", Col::Text),
            ("is_default", Col::Int),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    },
    Table {
        name: "branding",
        columns: &[
            ("id", Col::Int),
            ("display_name", Col::Text),
            ("primary_color", Col::Text),
            ("logo", Col::Text),
            ("logo_kind", Col::Text),
            ("logo_hash", Col::Text),
            ("updated_at", Col::Int),
        ],
    },
    Table {
        name: "password_resets",
        columns: &[
            ("token_hash", Col::Text),
            ("user_id", Col::Text),
            ("created_at", Col::Int),
            ("expires_at", Col::Int),
        ],
    },
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The last workspace migration applied to the exported database.
    pub schema_version: i64,
    /// Milliseconds since 1970-01-01 UTC.
    pub exported_at: i64,
    pub slug: String,
    pub name: String,
    pub tables: Vec<TableEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub file: String,
    pub rows: u64,
}

fn bad_archive(message: impl Into<String>) -> BackendError {
    BackendError::invalid("archive", message)
}

/// Writes the whole workspace at `slug` to `out` (atomically: a half-written archive never
/// appears under that name). `progress(table, rows)` is called after each table.
pub async fn export(
    control: &Db,
    registry: &Registry,
    slug: &str,
    out: &Path,
    progress: impl Fn(&str, u64),
) -> Result<Manifest, BackendError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT name, db_name FROM workspaces WHERE slug = $1 AND status IN ('active', 'suspended')",
    )
    .bind(slug)
    .fetch_optional(control.pool())
    .await?;
    let (name, db_name) =
        row.ok_or_else(|| BackendError::NotFound(format!("There is no workspace at /w/{slug}/.")))?;
    let db = registry.open(&db_name).await?;

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut entries = Vec::new();
    for table in TABLES {
        let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            columns.join(", "),
            table.name,
            columns[0]
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(db.pool()).await?;
        let mut jsonl = Vec::new();
        for row in &rows {
            let mut object = Map::new();
            for (i, (column, col)) in table.columns.iter().enumerate() {
                let value = match col {
                    Col::Text => row.try_get::<Option<String>, _>(i)?.map(Value::from),
                    Col::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
                    Col::Real => row.try_get::<Option<f64>, _>(i)?.map(Value::from),
                };
                object.insert((*column).to_string(), value.unwrap_or(Value::Null));
            }
            serde_json::to_writer(&mut jsonl, &object)
                .map_err(|e| BackendError::Internal(format!("encoding a row: {e}")))?;
            jsonl.push(b'\n');
        }
        let file = format!("{}.jsonl", table.name);
        entries.push(TableEntry {
            name: table.name.to_string(),
            file: file.clone(),
            rows: rows.len() as u64,
        });
        progress(table.name, rows.len() as u64);
        files.push((file, jsonl));
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: db.schema_version().await?,
        exported_at: now_millis(),
        slug: slug.to_string(),
        name,
        tables: entries,
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackendError::Internal(format!("encoding the manifest: {e}")))?;
    files.insert(0, ("manifest.json".into(), manifest_json));

    let out = out.to_path_buf();
    tokio::task::spawn_blocking(move || write_archive(&out, &files))
        .await
        .map_err(|e| BackendError::Internal(format!("archive task: {e}")))??;
    // After the copy is taken, so the archive holds the workspace as it was.
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    crate::audit::record(
        &db,
        None,
        "workspace_exported",
        &format!("{rows} rows, schema {}", manifest.schema_version),
    )
    .await?;
    Ok(manifest)
}

fn write_archive(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), BackendError> {
    let file_name = out
        .file_name()
        .ok_or_else(|| BackendError::invalid("output", "Name a file to write the export to."))?;
    let tmp = out.with_file_name(format!(".{}.partial", file_name.to_string_lossy()));
    let written = (|| -> Result<(), BackendError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&tmp)?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for (name, bytes) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o600);
            header.set_mtime(0);
            header.set_cksum();
            tar.append_data(&mut header, name, bytes.as_slice())?;
        }
        let gz = tar.into_inner()?;
        gz.finish()?.sync_all()?;
        std::fs::rename(&tmp, out)?;
        Ok(())
    })();
    if written.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    written
}

fn read_archive(path: &Path) -> Result<HashMap<String, Vec<u8>>, BackendError> {
    let file = std::fs::File::open(path)
        .map_err(|e| bad_archive(format!("Cannot open {}: {e}.", path.display())))?;
    let not_ours = || bad_archive("This file is not an IoT Rocket workspace export.");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let expected: Vec<String> = std::iter::once("manifest.json".to_string())
        .chain(TABLES.iter().map(|t| format!("{}.jsonl", t.name)))
        .collect();
    let mut files = HashMap::new();
    let mut total = 0u64;
    for entry in tar.entries().map_err(|_| not_ours())? {
        let mut entry = entry.map_err(|_| not_ours())?;
        let name = entry
            .path()
            .map_err(|_| not_ours())?
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        if !expected.contains(&name) {
            return Err(bad_archive(format!(
                "The export holds an unexpected file \u{201c}{name}\u{201d}."
            )));
        }
        if files.contains_key(&name) {
            return Err(bad_archive(format!("The export holds {name} twice.")));
        }
        total += entry.size();
        if total > MAX_ARCHIVE_BYTES {
            return Err(bad_archive(
                "The export is larger than an import may be (4 GiB).",
            ));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_ARCHIVE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|_| not_ours())?;
        files.insert(name, bytes);
    }
    Ok(files)
}

/// Restores an archive into a new workspace at `slug` (named as in the archive unless `name` is
/// given). Nothing remains of the new workspace when the archive turns out to be broken.
pub async fn import(
    control: &Db,
    registry: &Registry,
    archive: &Path,
    slug: &str,
    name: Option<String>,
    progress: impl Fn(&str, u64),
) -> Result<WorkspaceSummary, BackendError> {
    let slug =
        Slug::parse(slug.trim()).map_err(|e| BackendError::invalid("slug", e.to_string()))?;
    let path = archive.to_path_buf();
    let mut files = tokio::task::spawn_blocking(move || read_archive(&path))
        .await
        .map_err(|e| BackendError::Internal(format!("archive task: {e}")))??;
    let manifest: Manifest = files
        .remove("manifest.json")
        .and_then(|m| serde_json::from_slice(&m).ok())
        .ok_or_else(|| bad_archive("This file is not an IoT Rocket workspace export."))?;
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(bad_archive(format!(
            "This export has format {} version {}; this IoT Rocket reads {FORMAT} version {FORMAT_VERSION}.",
            manifest.format, manifest.format_version
        )));
    }
    let name = check_display_name(
        name.as_deref().unwrap_or(&manifest.name),
        "the company name",
    )
    .map_err(|m| BackendError::invalid("name", m))?;

    let ws = provision(control, registry, &slug, &name, &|_: Step| Ok(())).await?;
    let restored = match restore(&ws.db, &manifest, &files, &progress).await {
        Ok(emails) => activate(control, &ws.id, &emails).await,
        Err(e) => Err(e),
    };
    if let Err(e) = restored {
        // Nothing of a failed import stays: not its rows, not the personal data it copied.
        discard(control, registry, &ws.id, &ws.db_name).await?;
        return Err(e);
    }
    Ok(WorkspaceSummary {
        slug,
        name,
        status: WorkspaceStatus::Active,
    })
}

/// Inserts every row of the archive in one transaction; returns the users' e-mail addresses.
async fn restore(
    db: &Db,
    manifest: &Manifest,
    files: &HashMap<String, Vec<u8>>,
    progress: &impl Fn(&str, u64),
) -> Result<Vec<String>, BackendError> {
    let ours = db.schema_version().await?;
    if manifest.schema_version > ours {
        return Err(bad_archive(
            "This export comes from a newer IoT Rocket; upgrade this one before importing it.",
        ));
    }
    if manifest.schema_version < ours {
        return Err(bad_archive(format!(
            "This export has schema version {}, this IoT Rocket {ours}: import it with the version \
             that made it, then upgrade.",
            manifest.schema_version
        )));
    }
    for entry in &manifest.tables {
        if !TABLES.iter().any(|t| t.name == entry.name) {
            return Err(bad_archive(format!(
                "The export holds an unknown table \u{201c}{}\u{201d}.",
                entry.name
            )));
        }
    }
    let mut emails = Vec::new();
    let mut tx = db.pool().begin().await?;
    for table in TABLES {
        let Some(entry) = manifest.tables.iter().find(|e| e.name == table.name) else {
            continue;
        };
        let bytes = files
            .get(&entry.file)
            .ok_or_else(|| bad_archive(format!("{} is missing from the export.", entry.file)))?;
        let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            columns.join(", "),
            placeholders.join(", ")
        );
        let mut count = 0u64;
        for (line_no, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let at =
                |what: &str| bad_archive(format!("{} line {}: {what}.", entry.file, line_no + 1));
            let mut object: Map<String, Value> =
                serde_json::from_slice(line).map_err(|_| at("not a JSON object"))?;
            if let Some(unknown) = object
                .keys()
                .find(|k| !table.columns.iter().any(|(c, _)| c == k))
            {
                return Err(at(&format!("unknown column \u{201c}{unknown}\u{201d}")));
            }
            if table.name == "users" {
                let email = object
                    .get("email")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let email = Email::parse(email).map_err(|m| at(m.trim_end_matches('.')))?;
                emails.push(email.as_str().to_string());
                object.insert("email".into(), Value::from(email.as_str()));
                // A language we do not speak would be ignored; say so instead of keeping it.
                let language = match object.get("language") {
                    None | Some(Value::Null) => None,
                    Some(v) => {
                        Some(v.as_str().and_then(model::Language::parse).ok_or_else(|| {
                            at("language is neither \u{201c}en\u{201d} nor \u{201c}fr\u{201d}")
                        })?)
                    }
                };
                object.insert(
                    "language".into(),
                    language.map_or(Value::Null, |l| Value::from(l.code())),
                );
            }
            if table.name == "branding" {
                super::branding::check_imported_row(&mut object).map_err(|m| at(&m))?;
            }
            let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
            for (column, col) in table.columns {
                let value = object.get(*column).unwrap_or(&Value::Null);
                query = match (col, value) {
                    (Col::Text, Value::Null) => query.bind(None::<String>),
                    (Col::Int, Value::Null) => query.bind(None::<i64>),
                    (Col::Real, Value::Null) => query.bind(None::<f64>),
                    (Col::Real, Value::Number(n)) => query.bind(
                        n.as_f64()
                            .ok_or_else(|| at(&format!("{column} is not a number")))?,
                    ),
                    (Col::Text, Value::String(s)) => query.bind(s.clone()),
                    (Col::Int, Value::Number(n)) => query.bind(
                        n.as_i64()
                            .ok_or_else(|| at(&format!("{column} is not an integer")))?,
                    ),
                    _ => return Err(at(&format!("{column} has the wrong type"))),
                };
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| at(&format!("cannot be stored ({e})")))?;
            count += 1;
        }
        if count != entry.rows {
            return Err(bad_archive(format!(
                "{} holds {count} rows but the manifest says {}.",
                entry.file, entry.rows
            )));
        }
        progress(table.name, count);
    }
    tx.commit().await?;
    Ok(emails)
}
