//! Dashboards on both engines: editors save them, checked whole; one default at a time; each
//! member sees those shown to everyone or to a group granted to them; viewers save nothing.

mod common;

use backend::dashboards::{self, DASHBOARD_NAME_TAKEN, NO_SUCH_DASHBOARD};
use backend::testing::TestDbRef;
use backend::{groups, on_both, BackendError};
use common::{add, ctx, with_acme};
use model::dashboards::{starter, Dashboard, Place, Visibility, Widget, WidgetKind};
use model::groups::{Level, Subject};
use model::Role;

fn board(name: &str, visibility: Visibility, is_default: bool) -> Dashboard {
    Dashboard {
        id: String::new(),
        name: name.into(),
        visibility,
        is_default,
        widgets: vec![Widget {
            metrics: vec!["temperature".into()],
            ..Widget::new(
                "t",
                WidgetKind::TimeSeries,
                "Heat",
                Place {
                    x: 0,
                    y: 0,
                    w: 12,
                    h: 3,
                },
            )
        }],
        updated_at: 0,
    }
}

fn names(list: &[Dashboard]) -> Vec<&str> {
    list.iter().map(|d| d.name.as_str()).collect()
}

on_both!(
    editors_save_dashboards_and_members_see_those_shown_to_them,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        add(&ws, "vi@acme.example", Role::Viewer).await;
        add(&ws, "ed@acme.example", Role::Editor).await;
        let ada = ctx(&control, &registry, "ada@acme.example").await;
        let ed = ctx(&control, &registry, "ed@acme.example").await;
        let vi = ctx(&control, &registry, "vi@acme.example").await;
        let north = groups::create(&ada, "North").await.expect("north");
        let south = groups::create(&ada, "South").await.expect("south");
        groups::grant(&ada, &north, &Subject::Role(Role::Viewer), Level::View)
            .await
            .expect("grant");

        let overview = dashboards::save(&ed, board("Overview", Visibility::Everyone, true))
            .await
            .expect("overview");
        dashboards::save(
            &ed,
            board(
                "North plant",
                Visibility::Groups {
                    groups: vec![north.clone()],
                },
                false,
            ),
        )
        .await
        .expect("north");
        let south_id = dashboards::save(
            &ed,
            board(
                "South plant",
                Visibility::Groups {
                    groups: vec![south.clone()],
                },
                true,
            ),
        )
        .await
        .expect("south");

        // South took the default; the admin sees all, the viewer what is shown to them.
        let all = dashboards::list(&ada).await.expect("list");
        assert_eq!(names(&all), ["South plant", "North plant", "Overview"]);
        assert_eq!(all.iter().filter(|d| d.is_default).count(), 1);
        let seen = dashboards::list(&vi).await.expect("viewer list");
        assert_eq!(names(&seen), ["North plant", "Overview"]);
        let hidden = dashboards::get(&vi, &south_id).await.expect_err("hidden");
        assert!(matches!(hidden, BackendError::NotFound(ref m) if m == NO_SUCH_DASHBOARD));
        let got = dashboards::get(&vi, &overview).await.expect("shown");
        assert_eq!(got.widgets[0].metrics, ["temperature"]);

        // Saving checks everything and changes nothing when refused.
        let taken = dashboards::save(&ed, board("Overview", Visibility::Everyone, false))
            .await
            .expect_err("taken");
        assert!(
            matches!(taken, BackendError::Invalid { ref field, ref message } if field == "name" && message == DASHBOARD_NAME_TAKEN),
            "{taken:?}"
        );
        let mut bad = board("Broken", Visibility::Everyone, false);
        bad.widgets[0].place.w = 13;
        let refused = dashboards::save(&ed, bad).await.expect_err("too wide");
        assert!(
            matches!(refused, BackendError::Invalid { ref field, .. } if field == "widgets.0.place"),
            "{refused:?}"
        );
        let ghost = dashboards::save(
            &ed,
            board(
                "Ghost",
                Visibility::Groups {
                    groups: vec!["nope".into()],
                },
                false,
            ),
        )
        .await
        .expect_err("unknown group");
        assert!(matches!(ghost, BackendError::Invalid { ref field, .. } if field == "visibility"));
        let viewer = dashboards::save(&vi, board("Mine", Visibility::Everyone, false)).await;
        assert!(matches!(viewer, Err(BackendError::Forbidden)), "{viewer:?}");
        assert!(matches!(
            dashboards::delete(&vi, &overview).await,
            Err(BackendError::Forbidden)
        ));
        assert_eq!(dashboards::list(&ada).await.expect("list").len(), 3);

        // An edit keeps the id; a delete removes it, and the log tells who did both.
        let mut renamed = dashboards::get(&ed, &overview).await.expect("get");
        renamed.name = "Everything".into();
        assert_eq!(
            dashboards::save(&ed, renamed).await.expect("edit"),
            overview
        );
        assert_eq!(
            dashboards::get(&vi, &overview).await.expect("get").name,
            "Everything"
        );
        dashboards::delete(&ada, &south_id).await.expect("delete");
        assert_eq!(
            names(&dashboards::list(&ada).await.expect("list")),
            ["Everything", "North plant"]
        );
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'dashboard%' ORDER BY at",
        )
        .fetch_all(ws.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions.iter().filter(|a| *a == "dashboard_saved").count(),
            4
        );
        assert_eq!(
            actions.iter().filter(|a| *a == "dashboard_deleted").count(),
            1
        );

        // The starter survives a round trip through the table.
        let mut first = starter(&[("battery".into(), "%".into())]);
        first.name = "Starter".into();
        first.is_default = false;
        let id = dashboards::save(&ed, first.clone()).await.expect("starter");
        let back = dashboards::get(&ed, &id).await.expect("back");
        assert_eq!(back.widgets, first.widgets);
    }
);
