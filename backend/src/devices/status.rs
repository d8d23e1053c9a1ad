//! What the device pages show: registered devices joined with what the data source says about
//! them (last reading, latest values, a day of each metric). A failing source never fails the
//! page: the registry still shows, marked stale or unavailable.

use super::{get, list};
use crate::auth::ctx::WorkspaceCtx;
use crate::connector::{Connector, Data, Scope, SourceError};
use crate::BackendError;
use model::access::Action;
use model::data::Freshness;
use model::devices::{DeviceDetailView, DeviceFilter, DeviceListView, SourceState};
use std::collections::BTreeMap;

/// Points of each chart on the device page.
pub const CHART_POINTS: usize = 120;
/// Range of each chart on the device page.
pub const CHART_SECONDS: i64 = 86_400;

fn state_of(freshness: &Freshness) -> SourceState {
    if freshness.stale {
        SourceState::Stale {
            since: freshness.fetched_at,
        }
    } else {
        SourceState::Fresh
    }
}

fn now_secs() -> i64 {
    crate::now_millis() / 1000
}

async fn all_groups(ctx: &WorkspaceCtx) -> Result<Vec<(String, String)>, BackendError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM device_groups ORDER BY name, id")
            .fetch_all(ctx.db().pool())
            .await?,
    )
}

/// The device list page.
pub async fn list_view(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    filter: &DeviceFilter,
) -> Result<DeviceListView, BackendError> {
    let page = list(ctx, filter).await?;
    let may_manage = ctx.require(Action::ManageDevices).is_ok();
    let groups = if may_manage {
        all_groups(ctx).await?
    } else {
        crate::groups::visible(ctx)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect()
    };
    let ids: Vec<String> = page.items.iter().map(|d| d.external_id.clone()).collect();
    let (last_seen, source) = if ids.is_empty() {
        (BTreeMap::new(), SourceState::Fresh)
    } else {
        match connector.latest(scope, &ids, None).await {
            Ok(Data { value, freshness }) => {
                let mut by_external: BTreeMap<&str, i64> = BTreeMap::new();
                for reading in value.iter() {
                    let t = by_external
                        .entry(reading.device.as_str())
                        .or_insert(reading.t);
                    *t = (*t).max(reading.t);
                }
                let last_seen = page
                    .items
                    .iter()
                    .filter_map(|d| {
                        by_external
                            .get(d.external_id.as_str())
                            .map(|t| (d.id.clone(), *t))
                    })
                    .collect();
                (last_seen, state_of(&freshness))
            }
            Err(e) => {
                tracing::warn!(error = %e, workspace = %ctx.workspace.slug, "device list without data");
                (BTreeMap::new(), SourceState::Unavailable)
            }
        }
    };
    Ok(DeviceListView {
        page,
        last_seen,
        source,
        groups,
        may_manage,
        now: now_secs(),
    })
}

/// The device page: latest values and the last day of each metric.
pub async fn detail_view(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    id: &str,
    tiles: &model::map::MapTiles,
) -> Result<DeviceDetailView, BackendError> {
    let device = get(ctx, id).await?;
    let may_manage = ctx.require(Action::ManageDevices).is_ok();
    let groups = if may_manage {
        all_groups(ctx).await?
    } else {
        Vec::new()
    };
    let now = now_secs();
    let ids = [device.external_id.clone()];
    let unavailable = |e: SourceError| {
        tracing::warn!(error = %e, workspace = %ctx.workspace.slug, device = %device.external_id, "device page without data");
    };
    let (latest, source) = match connector.latest(scope, &ids, None).await {
        Ok(data) => (data.value.as_ref().clone(), state_of(&data.freshness)),
        Err(e) => {
            unavailable(e);
            return Ok(DeviceDetailView {
                device,
                latest: Vec::new(),
                series: Vec::new(),
                source: SourceState::Unavailable,
                may_manage,
                groups,
                now,
                tiles: tiles.clone(),
            });
        }
    };
    let mut series = Vec::new();
    for reading in &latest {
        match connector
            .series(
                scope,
                &device.external_id,
                &reading.metric,
                now - CHART_SECONDS,
                now,
                CHART_POINTS,
            )
            .await
        {
            Ok(data) => series.push(data.value.as_ref().clone()),
            Err(e) => unavailable(e),
        }
    }
    Ok(DeviceDetailView {
        device,
        latest,
        series,
        source,
        may_manage,
        groups,
        now,
        tiles: tiles.clone(),
    })
}
