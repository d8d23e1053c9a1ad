// A device form has more fields than clippy's default allows a function.
#![allow(clippy::too_many_arguments)]
//! Server functions of the device registry and its pages. None takes a URL or a query for the
//! data source: only ids and names, which the connector puts in its own queries.

use leptos::prelude::*;
use model::devices::{DeviceDetailView, DeviceListView, DiscoverView, ImportReport};
use model::ApiError;

/// The connector and what the workspace reads with it (its own source, or the deployment's).
#[cfg(feature = "ssr")]
pub(crate) async fn data_source(
    ctx: &backend::auth::WorkspaceCtx,
) -> Result<(backend::Services, backend::connector::Scope), ApiError> {
    let services = crate::ssr::services()?;
    let scope = backend::connector::workspace::scope(&services.control, &ctx.workspace.id)
        .await
        .map_err(crate::ssr::fail)?;
    Ok((services, scope))
}

/// A page of the devices the caller may see, with when each last reported.
#[server(prefix = "/api", endpoint = "devices")]
pub async fn list_devices(
    slug: String,
    #[server(default)] search: String,
    #[server(default)] group: String,
    #[server(default)] kind: String,
    #[server(default)] sort: String,
    #[server(default)] desc: bool,
    #[server(default)] page: u32,
) -> Result<DeviceListView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    use model::devices::{DeviceFilter, DeviceSort};
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    let filter = DeviceFilter {
        search,
        group_id: Some(group).filter(|g| !g.is_empty()),
        kind: Some(kind).filter(|k| !k.is_empty()),
        sort: DeviceSort::parse(&sort),
        descending: desc,
        page: page.max(1),
        ..Default::default()
    };
    let (services, scope) = data_source(&ctx).await?;
    backend::devices::status::list_view(&ctx, &services.connector, &scope, &filter)
        .await
        .map_err(fail)
}

/// One device with its latest values and a day of each metric.
#[server(prefix = "/api", endpoint = "device")]
pub async fn device_detail(slug: String, id: String) -> Result<DeviceDetailView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    let (services, scope) = data_source(&ctx).await?;
    backend::devices::status::detail_view(
        &ctx,
        &services.connector,
        &scope,
        &id,
        &services.map_tiles,
    )
    .await
    .map_err(fail)
}

/// Registers one device (admins).
#[server(prefix = "/api", endpoint = "create_device")]
pub async fn create_device(
    slug: String,
    external_id: String,
    name: String,
    #[server(default)] kind: String,
    #[server(default)] group_id: String,
    /// "latitude, longitude", e.g. "45.76, 4.84"; empty for none.
    #[server(default)]
    location: String,
    #[server(default)] tags: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    let draft = draft_of(
        external_id,
        name,
        kind,
        group_id,
        &location,
        &tags,
        Default::default(),
    )?;
    backend::devices::create(&ctx, draft).await.map_err(fail)?;
    leptos_axum::redirect(&super::devices_path(&slug));
    Ok(())
}

/// Changes a device (admins); its metadata stays as it was.
#[server(prefix = "/api", endpoint = "update_device")]
pub async fn update_device(
    slug: String,
    device_id: String,
    external_id: String,
    name: String,
    #[server(default)] kind: String,
    #[server(default)] group_id: String,
    #[server(default)] location: String,
    #[server(default)] tags: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    let current = backend::devices::get(&ctx, &device_id)
        .await
        .map_err(fail)?;
    let draft = draft_of(
        external_id,
        name,
        kind,
        group_id,
        &location,
        &tags,
        current.metadata,
    )?;
    backend::devices::update(&ctx, &device_id, draft)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("{}/{device_id}", super::devices_path(&slug)));
    Ok(())
}

/// A draft from a device form's fields.
#[cfg(feature = "ssr")]
fn draft_of(
    external_id: String,
    name: String,
    kind: String,
    group_id: String,
    location: &str,
    tags: &str,
    metadata: std::collections::BTreeMap<String, String>,
) -> Result<model::devices::DeviceDraft, ApiError> {
    let (latitude, longitude) = model::devices::parse_location(location)
        .map_err(|m| crate::ssr::fail(backend::BackendError::invalid("location", m)))?;
    Ok(model::devices::DeviceDraft {
        external_id,
        name,
        kind,
        group_id: Some(group_id),
        latitude,
        longitude,
        tags: tags.split(',').map(str::to_string).collect(),
        metadata,
    })
}

/// Removes a device from the registry (admins).
#[server(prefix = "/api", endpoint = "delete_device")]
pub async fn delete_device(slug: String, device_id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    backend::devices::delete(&ctx, &device_id)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::devices_path(&slug));
    Ok(())
}

/// Imports devices from CSV text: all rows, or none with each problem named (admins).
#[server(prefix = "/api", endpoint = "import_devices")]
pub async fn import_devices(slug: String, csv: String) -> Result<ImportReport, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    backend::devices::import::import_csv(&ctx, &csv)
        .await
        .map_err(fail)
}

/// The data source's devices that are not registered yet (admins).
#[server(prefix = "/api", endpoint = "discover_devices")]
pub async fn discover_devices(slug: String) -> Result<DiscoverView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    use backend::BackendError;
    use model::devices::SourceState;
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    let (services, scope) = data_source(&ctx).await?;
    match backend::devices::discover::unregistered(&ctx, &services.connector, &scope).await {
        Ok(found) => Ok(DiscoverView {
            found,
            source: SourceState::Fresh,
        }),
        Err(BackendError::Source(e)) => {
            tracing::warn!(error = %e, %slug, "discovery without a data source");
            Ok(DiscoverView {
                found: Vec::new(),
                source: SourceState::Unavailable,
            })
        }
        Err(e) => Err(fail(e)),
    }
}

/// Registers devices the source lists (ids separated by spaces), in a group if chosen (admins);
/// then the device list.
#[server(prefix = "/api", endpoint = "register_discovered")]
pub async fn register_discovered(
    slug: String,
    ids: String,
    #[server(default)] group_id: String,
) -> Result<usize, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    let ids: Vec<String> = ids.split_whitespace().map(str::to_string).collect();
    let group = Some(group_id).filter(|g| !g.is_empty());
    let (services, scope) = data_source(&ctx).await?;
    let registered =
        backend::devices::discover::import(&ctx, &services.connector, &scope, &ids, group)
            .await
            .map_err(fail)?;
    leptos_axum::redirect(&super::devices_path(&slug));
    Ok(registered)
}
