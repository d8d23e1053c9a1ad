//! Device groups and grants on both engines: who sees which group, and who may change that.

mod common;

use backend::testing::TestDbRef;
use backend::{groups, members, on_both, BackendError};
use common::{add, ctx, with_acme};
use model::groups::{Level, Subject, GROUP_NAME_TAKEN};
use model::Role;

fn names(groups: &[model::groups::VisibleGroup]) -> Vec<(&str, Level)> {
    groups.iter().map(|g| (g.name.as_str(), g.level)).collect()
}

on_both!(
    members_see_the_groups_granted_to_them_or_their_role,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        let viewer_id = add(&ws, "vi@acme.example", Role::Viewer).await;
        add(&ws, "v2@acme.example", Role::Viewer).await;
        add(&ws, "ed@acme.example", Role::Editor).await;
        let ada = ctx(&control, &registry, "ada@acme.example").await;
        let north = groups::create(&ada, "North farms").await.expect("north");
        let south = groups::create(&ada, "South farms").await.expect("south");
        let err = groups::create(&ada, "North farms")
            .await
            .expect_err("taken");
        assert!(
            matches!(err, BackendError::Invalid { ref message, .. } if message == GROUP_NAME_TAKEN)
        );

        groups::grant(&ada, &north, &Subject::Role(Role::Viewer), Level::View)
            .await
            .expect("viewers see north");
        groups::grant(
            &ada,
            &south,
            &Subject::User(viewer_id.clone()),
            Level::Control,
        )
        .await
        .expect("vi controls south");
        // Two admins giving access at once: one grant, no error.
        let (a, b) = tokio::join!(
            groups::grant(&ada, &north, &Subject::Role(Role::Editor), Level::View),
            groups::grant(&ada, &north, &Subject::Role(Role::Editor), Level::Control),
        );
        a.expect("first");
        b.expect("second");
        groups::grant(&ada, &north, &Subject::Role(Role::Editor), Level::View)
            .await
            .expect("back to view");
        groups::revoke(
            &ada,
            &groups::overview(&ada).await.expect("overview").groups[0].grants[1].id,
        )
        .await
        .expect("take the editors' grant away");
        // Granting again replaces, never doubles.
        groups::grant(&ada, &south, &Subject::User(viewer_id.clone()), Level::View)
            .await
            .expect("vi only views south now");

        let vi = ctx(&control, &registry, "vi@acme.example").await;
        assert_eq!(
            names(&groups::visible(&vi).await.expect("vi")),
            [("North farms", Level::View), ("South farms", Level::View)]
        );
        let v2 = ctx(&control, &registry, "v2@acme.example").await;
        assert_eq!(
            names(&groups::visible(&v2).await.expect("v2")),
            [("North farms", Level::View)]
        );
        let ed = ctx(&control, &registry, "ed@acme.example").await;
        assert!(
            groups::visible(&ed).await.expect("ed").is_empty(),
            "no grant, no group"
        );
        assert_eq!(
            names(&groups::visible(&ada).await.expect("ada")),
            [
                ("North farms", Level::Control),
                ("South farms", Level::Control)
            ]
        );

        // Editors and viewers change nothing.
        assert!(matches!(
            groups::create(&ed, "Mine").await,
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            groups::grant(&ed, &north, &Subject::Role(Role::Editor), Level::Control).await,
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            groups::overview(&vi).await,
            Err(BackendError::Forbidden)
        ));

        // A removed member's grants go with them; a deleted group's too.
        members::remove(&ada, &control, &viewer_id)
            .await
            .expect("remove");
        let overview = groups::overview(&ada).await.expect("overview");
        let south_grants = &overview
            .groups
            .iter()
            .find(|g| g.name == "South farms")
            .expect("south")
            .grants;
        assert!(south_grants.is_empty(), "{south_grants:?}");
        groups::delete(&ada, &north).await.expect("delete");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_grants")
            .fetch_one(ws.pool())
            .await
            .expect("count");
        assert_eq!(left, 0);
        let audit: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log")
            .fetch_all(ws.pool())
            .await
            .expect("audit");
        for action in ["group_created", "grant_changed", "group_deleted"] {
            assert!(audit.contains(&action.to_string()), "{action}: {audit:?}");
        }
    }
);
