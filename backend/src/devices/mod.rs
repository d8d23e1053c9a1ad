//! The device registry of a workspace: list (filtered to the groups the caller may see), create,
//! change, delete; bulk import from CSV (`import`) and from the data source (`discover`).
//! Only admins, owners and operators change it.

pub mod discover;
pub mod import;
pub mod status;

use crate::auth::ctx::WorkspaceCtx;
use crate::{audit, groups, now_millis, BackendError, Db};
use model::access::Action;
use model::devices::{
    Device, DeviceDraft, DeviceFilter, DevicePage, DeviceSort, FieldProblem, EXTERNAL_ID_TAKEN,
    MAX_PER_PAGE, NO_SUCH_DEVICE,
};
use model::groups::NO_SUCH_GROUP;
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    String,
    String,
);

const COLUMNS: &str = "d.id, d.external_id, d.name, d.kind, d.group_id, g.name, d.latitude, \
                       d.longitude, d.tags, d.metadata";

fn device_of(row: Row) -> Result<Device, BackendError> {
    let (id, external_id, name, kind, group_id, group_name, latitude, longitude, tags, metadata) =
        row;
    let tags: Vec<String> = serde_json::from_str(&tags)
        .map_err(|e| BackendError::Internal(format!("stored tags of device {id}: {e}")))?;
    let metadata: BTreeMap<String, String> = serde_json::from_str(&metadata)
        .map_err(|e| BackendError::Internal(format!("stored metadata of device {id}: {e}")))?;
    Ok(Device {
        id,
        external_id,
        name,
        kind,
        group_id,
        group_name,
        latitude,
        longitude,
        tags,
        metadata,
    })
}

/// The first problem of a draft, as the error a form shows beside its field.
pub(crate) fn first_problem(problems: Vec<FieldProblem>) -> BackendError {
    let first = problems
        .into_iter()
        .next()
        .expect("a refused draft names a problem");
    BackendError::invalid(first.field, first.message)
}

/// Which groups' devices the caller sees: `None` for every device (admins, owners, operators),
/// else the ids of the groups granted to them (ungrouped devices are for admins only).
pub(crate) async fn visible_groups(
    ctx: &WorkspaceCtx,
) -> Result<Option<Vec<String>>, BackendError> {
    ctx.require(Action::ViewWorkspace)?;
    if ctx.require(Action::ManageDevices).is_ok() {
        return Ok(None);
    }
    Ok(Some(
        groups::visible(ctx)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect(),
    ))
}

/// Where clause and its text parameters, numbered from `$1`.
fn conditions(filter: &DeviceFilter, visible: &Option<Vec<String>>) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let search = filter.search.trim().to_lowercase();
    if !search.is_empty() {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        params.push(format!("%{escaped}%"));
        let n = params.len();
        clauses.push(format!(
            "(LOWER(d.name) LIKE ${n} ESCAPE '\\' OR LOWER(d.external_id) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if let Some(group) = filter.group_id.as_deref().filter(|g| !g.is_empty()) {
        params.push(group.to_string());
        clauses.push(format!("d.group_id = ${}", params.len()));
    }
    if let Some(kind) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
        params.push(kind.to_string());
        clauses.push(format!("d.kind = ${}", params.len()));
    }
    if let Some(ids) = visible {
        if ids.is_empty() {
            clauses.push("1 = 0".into());
        } else {
            let start = params.len();
            params.extend(ids.iter().cloned());
            let marks: Vec<String> = (start + 1..=params.len())
                .map(|n| format!("${n}"))
                .collect();
            clauses.push(format!("d.group_id IN ({})", marks.join(", ")));
        }
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (sql, params)
}

async fn fetch_devices(
    db: &Db,
    sql: String,
    params: &[String],
) -> Result<Vec<Device>, BackendError> {
    let mut query = sqlx::query_as::<_, Row>(AssertSqlSafe(sql));
    for p in params {
        query = query.bind(p.clone());
    }
    query
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(device_of)
        .collect()
}

async fn count_devices(db: &Db, where_sql: &str, params: &[String]) -> Result<u64, BackendError> {
    let mut count = sqlx::query_as::<_, (i64,)>(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM devices d{where_sql}"
    )));
    for p in params {
        count = count.bind(p.clone());
    }
    let (total,) = count.fetch_one(db.pool()).await?;
    Ok(total as u64)
}

/// The first `cap` devices the caller may see, by name, and how many they see in all: what a
/// dashboard draws (one query, not a page at a time).
pub async fn visible_up_to(
    ctx: &WorkspaceCtx,
    cap: usize,
) -> Result<(Vec<Device>, u64), BackendError> {
    let visible = visible_groups(ctx).await?;
    let (where_sql, params) = conditions(&DeviceFilter::default(), &visible);
    let sql = format!(
        "SELECT {COLUMNS} FROM devices d LEFT JOIN device_groups g ON g.id = d.group_id{where_sql} \
         ORDER BY d.name, d.id LIMIT {cap}"
    );
    let devices = fetch_devices(ctx.db(), sql, &params).await?;
    let total = count_devices(ctx.db(), &where_sql, &params).await?;
    Ok((devices, total))
}

/// A page of the devices the caller may see.
pub async fn list(ctx: &WorkspaceCtx, filter: &DeviceFilter) -> Result<DevicePage, BackendError> {
    let visible = visible_groups(ctx).await?;
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    let (where_sql, params) = conditions(filter, &visible);
    let order = match filter.sort {
        DeviceSort::Name => "d.name",
        DeviceSort::ExternalId => "d.external_id",
        DeviceSort::Kind => "d.kind",
        DeviceSort::Group => "g.name",
    };
    let direction = if filter.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM devices d LEFT JOIN device_groups g ON g.id = d.group_id{where_sql} \
         ORDER BY {order} {direction}, d.name {direction}, d.id LIMIT {per_page} OFFSET {}",
        (u64::from(page) - 1) * u64::from(per_page)
    );
    let items = fetch_devices(ctx.db(), sql, &params).await?;
    let total = count_devices(ctx.db(), &where_sql, &params).await?;
    let (visible_sql, visible_params) = conditions(&DeviceFilter::default(), &visible);
    let kinds_sql = format!(
        "SELECT DISTINCT d.kind FROM devices d{} ORDER BY d.kind",
        if visible_sql.is_empty() {
            " WHERE d.kind <> ''".to_string()
        } else {
            format!("{visible_sql} AND d.kind <> ''")
        }
    );
    let mut kinds = sqlx::query_as::<_, (String,)>(AssertSqlSafe(kinds_sql));
    for p in &visible_params {
        kinds = kinds.bind(p.clone());
    }
    let kinds = kinds
        .fetch_all(ctx.db().pool())
        .await?
        .into_iter()
        .map(|(k,)| k)
        .collect();
    Ok(DevicePage {
        items,
        total,
        page,
        per_page,
        kinds,
    })
}

/// One device, if the caller may see it.
pub async fn get(ctx: &WorkspaceCtx, id: &str) -> Result<Device, BackendError> {
    let visible = visible_groups(ctx).await?;
    let sql = format!("SELECT {COLUMNS} FROM devices d LEFT JOIN device_groups g ON g.id = d.group_id WHERE d.id = $1");
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(ctx.db().pool())
        .await?;
    let device = row.map(device_of).transpose()?;
    match device {
        Some(d)
            if visible
                .as_ref()
                .is_none_or(|ids| d.group_id.as_ref().is_some_and(|g| ids.contains(g))) =>
        {
            Ok(d)
        }
        // Not there, or not for this caller: the same answer.
        _ => Err(BackendError::NotFound(NO_SUCH_DEVICE.into())),
    }
}

pub(crate) fn taken_or(e: sqlx::Error) -> BackendError {
    if e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
    {
        BackendError::invalid("external_id", EXTERNAL_ID_TAKEN)
    } else {
        e.into()
    }
}

/// Registers a device; its id.
pub async fn create(ctx: &WorkspaceCtx, draft: DeviceDraft) -> Result<String, BackendError> {
    ctx.require(Action::ManageDevices)?;
    let draft = draft.checked().map_err(first_problem)?;
    ensure_group(ctx.db(), draft.group_id.as_deref()).await?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    insert(ctx.db().pool(), &id, &draft)
        .await
        .map_err(taken_or)?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "device_created",
        &format!("{} ({})", draft.name, draft.external_id),
    )
    .await?;
    Ok(id)
}

/// Binds a draft's fields to `$2` … `$9`, in the order of the devices table.
fn bind_draft<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    draft: &'q DeviceDraft,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(&draft.external_id)
        .bind(&draft.name)
        .bind(&draft.kind)
        .bind(draft.group_id.as_deref())
        .bind(draft.latitude)
        .bind(draft.longitude)
        .bind(serde_json::to_string(&draft.tags).expect("tags serialise"))
        .bind(serde_json::to_string(&draft.metadata).expect("metadata serialises"))
}

pub(crate) async fn insert<'e, E>(
    executor: E,
    id: &str,
    draft: &DeviceDraft,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let query = sqlx::query(
        "INSERT INTO devices (id, external_id, name, kind, group_id, latitude, longitude, tags, metadata, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id);
    bind_draft(query, draft)
        .bind(now_millis())
        .execute(executor)
        .await?;
    Ok(())
}

/// Refuses a draft whose group does not exist.
pub(crate) async fn ensure_group(db: &Db, group_id: Option<&str>) -> Result<(), BackendError> {
    let Some(group) = group_id else { return Ok(()) };
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM device_groups WHERE id = $1")
        .bind(group)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(_) => Ok(()),
        None => Err(BackendError::invalid("group_id", NO_SUCH_GROUP)),
    }
}

/// Changes every field of a device.
pub async fn update(ctx: &WorkspaceCtx, id: &str, draft: DeviceDraft) -> Result<(), BackendError> {
    ctx.require(Action::ManageDevices)?;
    let draft = draft.checked().map_err(first_problem)?;
    ensure_group(ctx.db(), draft.group_id.as_deref()).await?;
    let query = sqlx::query(
        "UPDATE devices SET external_id = $2, name = $3, kind = $4, group_id = $5, latitude = $6, \
         longitude = $7, tags = $8, metadata = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(id);
    let done = bind_draft(query, &draft)
        .bind(now_millis())
        .execute(ctx.db().pool())
        .await
        .map_err(taken_or)?;
    if done.rows_affected() == 0 {
        return Err(BackendError::NotFound(NO_SUCH_DEVICE.into()));
    }
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "device_changed",
        &format!("{} ({})", draft.name, draft.external_id),
    )
    .await
}

/// Removes a device from the registry (its data stays at the source).
pub async fn delete(ctx: &WorkspaceCtx, id: &str) -> Result<(), BackendError> {
    ctx.require(Action::ManageDevices)?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, external_id FROM devices WHERE id = $1")
            .bind(id)
            .fetch_optional(ctx.db().pool())
            .await?;
    let Some((name, external_id)) = row else {
        return Err(BackendError::NotFound(NO_SUCH_DEVICE.into()));
    };
    sqlx::query("DELETE FROM devices WHERE id = $1")
        .bind(id)
        .execute(ctx.db().pool())
        .await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "device_deleted",
        &format!("{name} ({external_id})"),
    )
    .await
}

/// The external ids among `ids` that are registered already.
pub(crate) async fn registered(db: &Db) -> Result<std::collections::HashSet<String>, BackendError> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT external_id FROM devices")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
