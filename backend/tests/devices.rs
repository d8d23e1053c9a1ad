//! The device registry on both engines: who sees which devices, who may change them, and the
//! CSV import that imports all rows or none.

mod common;

use backend::devices::{self, import};
use backend::testing::TestDbRef;
use backend::{groups, on_both, BackendError};
use common::{add, ctx, with_acme};
use model::devices::{DeviceDraft, DeviceFilter, DeviceSort, EXTERNAL_ID_TAKEN, NO_SUCH_DEVICE};
use model::groups::{Level, Subject};
use model::Role;

fn draft(external_id: &str, name: &str, kind: &str, group: Option<&str>) -> DeviceDraft {
    DeviceDraft {
        external_id: external_id.into(),
        name: name.into(),
        kind: kind.into(),
        group_id: group.map(str::to_string),
        latitude: Some(45.75),
        longitude: Some(4.85),
        tags: vec!["roof".into()],
        metadata: [("serial".to_string(), "SN-1".to_string())].into(),
    }
}

fn names(page: &model::devices::DevicePage) -> Vec<&str> {
    page.items.iter().map(|d| d.name.as_str()).collect()
}

on_both!(
    admins_manage_devices_and_members_see_only_their_groups,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        add(&ws, "vi@acme.example", Role::Viewer).await;
        add(&ws, "ed@acme.example", Role::Editor).await;
        let ada = ctx(&control, &registry, "ada@acme.example").await;
        let north = groups::create(&ada, "North").await.expect("north");
        let south = groups::create(&ada, "South").await.expect("south");
        groups::grant(&ada, &north, &Subject::Role(Role::Viewer), Level::View)
            .await
            .expect("grant");

        let a = devices::create(
            &ada,
            draft("wx-1", "Alpha station", "WEATHER", Some(&north)),
        )
        .await
        .expect("a");
        devices::create(&ada, draft("kwh-2", "Bravo meter", "METER", Some(&south)))
            .await
            .expect("b");
        devices::create(&ada, draft("gps-3", "Charlie tracker", "TRACKER", None))
            .await
            .expect("c");
        let taken = devices::create(&ada, draft("wx-1", "Again", "", None))
            .await
            .expect_err("taken");
        assert!(
            matches!(taken, BackendError::Invalid { ref field, ref message } if field == "external_id" && message == EXTERNAL_ID_TAKEN)
        );
        let bad = devices::create(
            &ada,
            DeviceDraft {
                latitude: Some(100.0),
                ..draft("x-9", "X", "", None)
            },
        )
        .await;
        assert!(matches!(bad, Err(BackendError::Invalid { ref field, .. }) if field == "latitude"));
        let no_group = devices::create(&ada, draft("x-8", "X", "", Some("nope"))).await;
        assert!(
            matches!(no_group, Err(BackendError::Invalid { ref field, .. }) if field == "group_id")
        );

        let all = devices::list(&ada, &DeviceFilter::default())
            .await
            .expect("all");
        assert_eq!(
            names(&all),
            ["Alpha station", "Bravo meter", "Charlie tracker"]
        );
        assert_eq!(all.total, 3);
        assert_eq!(all.kinds, ["METER", "TRACKER", "WEATHER"]);
        let first = &all.items[0];
        assert_eq!((first.latitude, first.longitude), (Some(45.75), Some(4.85)));
        assert_eq!(first.group_name.as_deref(), Some("North"));
        assert_eq!(
            first.metadata.get("serial").map(String::as_str),
            Some("SN-1")
        );

        let vi = ctx(&control, &registry, "vi@acme.example").await;
        let seen = devices::list(&vi, &DeviceFilter::default())
            .await
            .expect("vi");
        assert_eq!(names(&seen), ["Alpha station"], "only the granted group");
        assert_eq!(seen.kinds, ["WEATHER"], "not even the kinds of others leak");
        let bravo = all.items[1].id.clone();
        assert!(
            matches!(devices::get(&vi, &bravo).await, Err(BackendError::NotFound(ref m)) if m == NO_SUCH_DEVICE)
        );
        assert_eq!(
            devices::get(&vi, &a).await.expect("alpha").external_id,
            "wx-1"
        );
        let ed = ctx(&control, &registry, "ed@acme.example").await;
        assert!(devices::list(&ed, &DeviceFilter::default())
            .await
            .expect("ed")
            .items
            .is_empty());
        assert!(matches!(
            devices::create(&ed, draft("e-1", "E", "", None)).await,
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            devices::delete(&vi, &a).await,
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            devices::update(&ed, &a, draft("wx-1", "Mine", "", None)).await,
            Err(BackendError::Forbidden)
        ));

        devices::update(
            &ada,
            &a,
            draft("wx-1", "Alpha renamed", "WEATHER", Some(&south)),
        )
        .await
        .expect("update");
        assert!(
            devices::list(&vi, &DeviceFilter::default())
                .await
                .expect("vi")
                .items
                .is_empty(),
            "moved out of vi's group"
        );
        devices::delete(&ada, &a).await.expect("delete");
        assert!(matches!(
            devices::delete(&ada, &a).await,
            Err(BackendError::NotFound(_))
        ));
        let log = backend::members::audit_log(&ada, 100).await.expect("audit");
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        for action in ["device_created", "device_changed", "device_deleted"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
);

on_both!(
    the_list_searches_filters_sorts_and_pages,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let ada = ctx(&control, &registry, "ada@acme.example").await;
        let g = groups::create(&ada, "Hall").await.expect("group");
        let mut csv = String::from("external_id,name,kind,group\n");
        for i in 0..120 {
            let kind = if i % 2 == 0 { "METER" } else { "SENSOR" };
            let group = if i % 3 == 0 { "hall" } else { "" };
            csv.push_str(&format!("dev-{i:03},Device {i:03},{kind},{group}\n"));
        }
        csv.push_str("odd_1,100% Ünique,SENSOR,\n");
        let report = import::import_csv(&ada, &csv).await.expect("import");
        assert_eq!((report.imported, report.problems.len()), (121, 0));

        let page = |f: DeviceFilter| {
            let ada = ada.clone();
            async move { devices::list(&ada, &f).await.expect("list") }
        };
        let second = page(DeviceFilter {
            page: 2,
            per_page: 50,
            ..Default::default()
        })
        .await;
        assert_eq!((second.total, second.items.len()), (121, 50));
        assert_eq!(
            second.items[0].name, "Device 049",
            "after \"100% Ünique\" and Device 000 to 048"
        );
        let found = page(DeviceFilter {
            search: "DEVICE 11".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(found.total, 10);
        // A search for % or _ means those characters, not wildcards.
        let percent = page(DeviceFilter {
            search: "100%".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(names(&percent), ["100% Ünique"]);
        let underscore = page(DeviceFilter {
            search: "_".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(underscore.total, 1);
        let meters_in_hall = page(DeviceFilter {
            kind: Some("METER".into()),
            group_id: Some(g.clone()),
            ..Default::default()
        })
        .await;
        assert_eq!(
            meters_in_hall.total, 20,
            "i even and divisible by 3 among 0..120"
        );
        let by_id_desc = page(DeviceFilter {
            sort: DeviceSort::ExternalId,
            descending: true,
            per_page: 2,
            ..Default::default()
        })
        .await;
        assert_eq!(
            by_id_desc
                .items
                .iter()
                .map(|d| d.external_id.as_str())
                .collect::<Vec<_>>(),
            ["odd_1", "dev-119"]
        );
        let huge = page(DeviceFilter {
            per_page: 100_000,
            ..Default::default()
        })
        .await;
        assert_eq!(huge.per_page, model::devices::MAX_PER_PAGE);
    }
);

on_both!(
    a_csv_with_one_bad_row_imports_nothing_and_names_each_problem,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        add(&ws, "ed@acme.example", Role::Editor).await;
        let ada = ctx(&control, &registry, "ada@acme.example").await;
        devices::create(&ada, draft("wx-1", "Registered", "", None))
            .await
            .expect("existing");
        let csv =
            "external_id,name,latitude,longitude\nwx-2,Fine,1,2\nwx-1,Clash,,\nwx-3,Bad,abc,2\n";
        let report = import::import_csv(&ada, csv).await.expect("checked");
        assert_eq!(report.imported, 0);
        let cells: Vec<(u64, &str)> = report
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(cells, [(3, "external_id"), (4, "latitude")]);
        assert_eq!(
            devices::list(&ada, &DeviceFilter::default())
                .await
                .expect("list")
                .total,
            1,
            "nothing imported"
        );
        let ed = ctx(&control, &registry, "ed@acme.example").await;
        assert!(matches!(
            import::import_csv(&ed, "external_id,name\nx,y\n").await,
            Err(BackendError::Forbidden)
        ));
    }
);

on_both!(
    an_operator_points_a_workspace_at_its_own_source_and_back,
    |t: TestDbRef| async move {
        use backend::connector::workspace::{self, Token};
        let (control, _registry, _ws) = with_acme(&t).await;
        let id: String = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = 'acme'")
            .fetch_one(control.pool())
            .await
            .expect("id");
        let default = workspace::scope(&control, &id).await.expect("scope");
        assert!(
            format!("{default:?}").contains("source: None"),
            "{default:?}"
        );
        assert_eq!(
            workspace::describe(&control, "acme")
                .await
                .expect("describe"),
            None
        );
        let map = [("pump-1".to_string(), "acme/pump-0001".to_string())].into();
        workspace::set(
            &control,
            "acme",
            "https://api.acme.example/graphql",
            Token::Replace("s3cret-token".into()),
            map,
        )
        .await
        .expect("set");
        let own = workspace::scope(&control, &id).await.expect("own");
        let shown = format!("{own:?}");
        assert!(
            shown.contains("https://api.acme.example/graphql"),
            "{shown}"
        );
        assert!(
            !shown.contains("s3cret"),
            "the token is never printed: {shown}"
        );
        let described = workspace::describe(&control, "acme")
            .await
            .expect("describe")
            .expect("own source");
        assert_eq!(described.url, "https://api.acme.example/graphql");
        assert!(described.has_token);
        assert_eq!(
            described.id_map,
            [("pump-1".to_string(), "acme/pump-0001".to_string())]
        );
        assert!(!format!("{described:?}").contains("s3cret"));

        // Saving again without a new token keeps the stored one; removing it removes it.
        workspace::set(
            &control,
            "acme",
            "https://api2.acme.example/graphql",
            Token::Keep,
            Default::default(),
        )
        .await
        .expect("keep");
        let kept = workspace::describe(&control, "acme")
            .await
            .expect("d")
            .expect("own");
        assert_eq!(kept.url, "https://api2.acme.example/graphql");
        assert!(kept.has_token, "{kept:?}");
        assert!(kept.id_map.is_empty());
        let token: Option<String> =
            sqlx::query_scalar("SELECT token FROM workspace_sources WHERE workspace_id = $1")
                .bind(&id)
                .fetch_one(control.pool())
                .await
                .expect("token");
        assert_eq!(token.as_deref(), Some("s3cret-token"));
        workspace::set(
            &control,
            "acme",
            "https://api2.acme.example/graphql",
            Token::Remove,
            Default::default(),
        )
        .await
        .expect("remove");
        let removed = workspace::describe(&control, "acme")
            .await
            .expect("d")
            .expect("own");
        assert!(!removed.has_token);
        assert!(matches!(
            workspace::set(&control, "acme", "https://x.example/", Token::Replace("  ".into()), Default::default()).await,
            Err(BackendError::Invalid { ref field, .. }) if field == "token"
        ));

        assert!(matches!(
            workspace::set(&control, "acme", "file:///etc/passwd", Token::Remove, Default::default()).await,
            Err(BackendError::Invalid { ref field, .. }) if field == "url"
        ));
        assert!(matches!(
            workspace::set(
                &control,
                "nope",
                "https://x.example/graphql",
                Token::Remove,
                Default::default()
            )
            .await,
            Err(BackendError::NotFound(_))
        ));
        workspace::clear(&control, "acme").await.expect("clear");
        let back = workspace::scope(&control, &id).await.expect("back");
        assert!(format!("{back:?}").contains("source: None"));
    }
);
