//! The dashboard editor (editors and above): what it shows, and saving its form: the widgets
//! read field by field, devices named by their ids at the source turned into registry ids, and
//! the dashboard checked whole before it is written.

use super::view::{load, starter_of};
use super::{get, list, save};
use crate::auth::ctx::WorkspaceCtx;
use crate::connector::{Connector, Scope};
use crate::devices::visible_up_to;
use crate::BackendError;
use model::access::Action;
use model::dashboards::form::{read_widgets, WidgetForm};
use model::dashboards::{
    Dashboard, DashboardEditView, Selection, Visibility, MAX_DASHBOARD_DEVICES,
};
use std::collections::BTreeMap;

/// Empty slots the editor offers for new widgets.
pub const NEW_SLOTS: usize = 2;

/// The editor of dashboard `id`; `new` is a new one (the starter while none is saved).
pub async fn edit_view(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    id: &str,
) -> Result<DashboardEditView, BackendError> {
    ctx.require(Action::EditDashboards)?;
    let starter = id == "new" && list(ctx).await?.is_empty();
    let (dashboard, devices) = if starter {
        // The starter needs what the devices report; the devices come with it.
        let loaded = load(ctx, connector, scope).await?;
        (starter_of(&loaded), loaded.devices)
    } else {
        let dashboard = if id == "new" {
            Dashboard {
                id: String::new(),
                name: String::new(),
                visibility: Visibility::Everyone,
                is_default: false,
                widgets: Vec::new(),
                updated_at: 0,
            }
        } else {
            get(ctx, id).await?
        };
        let (devices, _) = visible_up_to(ctx, MAX_DASHBOARD_DEVICES).await?;
        (dashboard, devices)
    };
    let external: BTreeMap<&str, &str> = devices
        .iter()
        .map(|d| (d.id.as_str(), d.external_id.as_str()))
        .collect();
    let mut forms: Vec<WidgetForm> = dashboard
        .widgets
        .iter()
        .map(|w| WidgetForm::of(w, |id| external.get(id).map(|e| e.to_string())))
        .collect();
    forms.extend(std::iter::repeat_n(WidgetForm::default(), NEW_SLOTS));
    let groups = crate::groups::visible(ctx)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(DashboardEditView {
        dashboard,
        forms,
        groups,
        // The control plane's: the caller adds them for a new dashboard.
        templates: Vec::new(),
    })
}

/// What the editor's form sends.
pub struct DashboardForm {
    /// Empty for a new dashboard.
    pub id: String,
    pub name: String,
    /// `everyone`, or `groups` with `groups` naming them.
    pub visibility: String,
    pub groups: Vec<String>,
    pub is_default: bool,
    pub widgets: Vec<WidgetForm>,
}

/// Saves the editor's form; the dashboard's id.
pub async fn save_form(ctx: &WorkspaceCtx, form: DashboardForm) -> Result<String, BackendError> {
    ctx.require(Action::EditDashboards)?;
    let mut widgets = read_widgets(&form.widgets).map_err(crate::devices::first_problem)?;
    // Devices chosen one by one: their ids at the source, among the devices the editor sees
    // (read only when a widget names some).
    let names_devices = widgets
        .iter()
        .any(|w| matches!(&w.devices, Selection::Devices { ids } if !ids.is_empty()));
    let devices = if names_devices {
        visible_up_to(ctx, MAX_DASHBOARD_DEVICES).await?.0
    } else {
        Vec::new()
    };
    let registry: BTreeMap<&str, &str> = devices
        .iter()
        .map(|d| (d.external_id.as_str(), d.id.as_str()))
        .collect();
    for (i, w) in widgets.iter_mut().enumerate() {
        if let Selection::Devices { ids } = &mut w.devices {
            for id in ids.iter_mut() {
                match registry.get(id.as_str()) {
                    Some(known) => *id = known.to_string(),
                    None => {
                        return Err(BackendError::invalid(
                            format!("widgets.{i}.device_ids"),
                            format!("No device {id} is registered here."),
                        ))
                    }
                }
            }
        }
    }
    let visibility = match form.visibility.as_str() {
        "groups" => Visibility::Groups {
            groups: form.groups.into_iter().filter(|g| !g.is_empty()).collect(),
        },
        _ => Visibility::Everyone,
    };
    let id = form.id.trim().to_string();
    if !id.is_empty() {
        // Only a dashboard the editor sees can be changed.
        get(ctx, &id).await?;
    }
    save(
        ctx,
        Dashboard {
            id,
            name: form.name,
            visibility,
            is_default: form.is_default,
            widgets,
            updated_at: 0,
        },
    )
    .await
}
