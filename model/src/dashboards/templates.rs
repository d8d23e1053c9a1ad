//! Dashboard templates: layouts the deployment's operators keep (from a workspace's dashboard)
//! and any workspace's editors copy. A template holds no workspace's own ids: its widgets show
//! every device the viewer sees, whatever devices or group they showed where it was made.

use super::{Dashboard, Selection, Visibility, Widget};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardTemplate {
    pub id: String,
    pub name: String,
    pub widgets: Vec<Widget>,
    /// When it was last kept (milliseconds since 1970).
    pub updated_at: i64,
}

/// A template as a menu lists it: id, name and how many widgets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    pub widgets: usize,
}

impl DashboardTemplate {
    /// The widgets of `dashboard` as a template keeps them.
    pub fn widgets_of(dashboard: &Dashboard) -> Vec<Widget> {
        dashboard
            .widgets
            .iter()
            .map(|w| Widget {
                devices: Selection::All,
                ..w.clone()
            })
            .collect()
    }

    /// A new dashboard of a workspace made from the template, shown to every member, named `name`.
    pub fn dashboard(&self, name: &str) -> Dashboard {
        Dashboard {
            id: String::new(),
            name: name.to_string(),
            visibility: Visibility::Everyone,
            is_default: false,
            widgets: self.widgets.clone(),
            updated_at: 0,
        }
    }

    pub fn summary(&self) -> TemplateSummary {
        TemplateSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            widgets: self.widgets.len(),
        }
    }
}

/// A name not among `taken`: `name`, else `name (2)`, `name (3)` …
pub fn free_name(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    (2..)
        .map(|i| format!("{name} ({i})"))
        .find(|n| !taken.contains(n))
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::{starter, Place, WidgetKind};

    #[test]
    fn a_template_keeps_the_layout_but_no_workspaces_devices_or_groups() {
        let mut d = starter(&[("battery".into(), "%".into())]);
        d.visibility = Visibility::Groups {
            groups: vec!["north".into()],
        };
        let mut chosen = Widget::new(
            "w9",
            WidgetKind::Stat,
            "Roof",
            Place {
                x: 0,
                y: 20,
                w: 4,
                h: 2,
            },
        );
        chosen.devices = Selection::Devices {
            ids: vec!["dev-1".into()],
        };
        chosen.metrics = vec!["battery".into()];
        d.widgets.push(chosen);
        let t = DashboardTemplate {
            id: "t1".into(),
            name: "Fleet".into(),
            widgets: DashboardTemplate::widgets_of(&d),
            updated_at: 1,
        };
        assert!(t.widgets.iter().all(|w| w.devices == Selection::All));
        assert_eq!(t.widgets.len(), d.widgets.len());
        assert_eq!(
            t.widgets.last().unwrap().metrics,
            vec!["battery".to_string()]
        );
        let copy = t.dashboard("Fleet");
        assert_eq!(copy.visibility, Visibility::Everyone);
        assert!(!copy.is_default && copy.id.is_empty());
        assert!(copy.clone().checked().is_ok(), "{:?}", copy.checked().err());
        assert_eq!(t.summary().widgets, d.widgets.len());
    }

    #[test]
    fn a_copy_takes_a_name_not_yet_used() {
        let taken = vec!["Fleet".to_string(), "Fleet (2)".to_string()];
        assert_eq!(free_name("Fleet", &taken), "Fleet (3)");
        assert_eq!(free_name("Plant", &taken), "Plant");
    }
}
