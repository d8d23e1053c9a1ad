//! "Discover from source": the devices the data source knows that the registry does not, and
//! their import. Only ids chosen from what the source lists can be imported.

use super::{first_problem, insert, registered};
use crate::auth::ctx::WorkspaceCtx;
use crate::connector::{Connector, DeviceQuery, Scope};
use crate::{audit, BackendError};
use model::access::Action;
use model::data::SourceDevice;
use model::devices::{DeviceDraft, EXTERNAL_ID_TAKEN};
use std::collections::BTreeMap;

/// Most source devices read while discovering (pages of 1,000).
pub const MAX_SCANNED: u32 = 100_000;
/// Most devices listed or imported at once.
pub const MAX_LISTED: usize = 1_000;

/// Every device of the source (up to [`MAX_SCANNED`]), page by page.
async fn source_devices(
    connector: &Connector,
    scope: &Scope,
) -> Result<Vec<SourceDevice>, BackendError> {
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let query = DeviceQuery {
            offset,
            limit: 1_000,
            ..Default::default()
        };
        let page = connector.devices(scope, &query).await?;
        all.extend(page.value.items.iter().cloned());
        offset += page.value.items.len() as u32;
        if page.value.items.is_empty() || offset >= page.value.total || offset >= MAX_SCANNED {
            return Ok(all);
        }
    }
}

/// The source's devices that are not registered yet (at most [`MAX_LISTED`]).
pub async fn unregistered(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
) -> Result<Vec<SourceDevice>, BackendError> {
    ctx.require(Action::ManageDevices)?;
    let known = registered(ctx.db()).await?;
    let mut found: Vec<SourceDevice> = source_devices(connector, scope)
        .await?
        .into_iter()
        .filter(|d| !known.contains(&d.id))
        .collect();
    found.truncate(MAX_LISTED);
    Ok(found)
}

fn draft_of(device: &SourceDevice, group_id: Option<String>) -> DeviceDraft {
    let mut metadata = BTreeMap::new();
    if let Some(firmware) = &device.firmware {
        metadata.insert("firmware".to_string(), firmware.clone());
    }
    DeviceDraft {
        external_id: device.id.clone(),
        name: device.name.clone(),
        kind: device.kind.clone(),
        group_id,
        latitude: device.latitude.zip(device.longitude).map(|(lat, _)| lat),
        longitude: device.latitude.zip(device.longitude).map(|(_, lon)| lon),
        tags: device.tags.clone(),
        metadata,
    }
}

/// Registers the source's devices `ids` (all, or none), in `group_id` when given; how many.
pub async fn import(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    ids: &[String],
    group_id: Option<String>,
) -> Result<usize, BackendError> {
    ctx.require(Action::ManageDevices)?;
    if ids.is_empty() {
        return Err(BackendError::invalid("ids", "Choose at least one device."));
    }
    if ids.len() > MAX_LISTED {
        return Err(BackendError::invalid(
            "ids",
            format!("At most {MAX_LISTED} devices at once."),
        ));
    }
    let group_id = group_id.filter(|g| !g.trim().is_empty());
    super::ensure_group(ctx.db(), group_id.as_deref()).await?;
    let source = source_devices(connector, scope).await?;
    let known = registered(ctx.db()).await?;
    let mut drafts = Vec::new();
    for id in ids {
        let Some(device) = source.iter().find(|d| &d.id == id) else {
            return Err(BackendError::invalid(
                "ids",
                format!("The data source has no device {id}."),
            ));
        };
        if known.contains(id) {
            return Err(BackendError::invalid(
                "ids",
                format!("{id}: {EXTERNAL_ID_TAKEN}"),
            ));
        }
        // What the source says is checked like anything typed in.
        drafts.push(
            draft_of(device, group_id.clone())
                .checked()
                .map_err(first_problem)?,
        );
    }
    let mut tx = ctx.db().pool().begin().await?;
    for draft in &drafts {
        let id = uuid::Uuid::new_v4().simple().to_string();
        insert(&mut *tx, &id, draft)
            .await
            .map_err(super::taken_or)?;
    }
    tx.commit().await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "devices_imported",
        &format!("{} devices from the data source", drafts.len()),
    )
    .await?;
    Ok(drafts.len())
}
