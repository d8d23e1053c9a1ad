//! The access table: every server function, page and route with the least it needs. The walk
//! in `access.rs` holds each to it; one missing here fails that test.

use model::Role;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Need {
    /// Anyone, signed in or not (it tells nothing of a workspace's data).
    Public,
    /// A member of the workspace named in the call, with at least this role.
    Member(Role),
    /// An operator.
    Operator,
}

/// Server functions: path, need, and a form body (`{slug}` is the workspace, `{user}` a
/// member's id in it).
pub const SERVER_FNS: &[(&str, Need, &str)] = &[
    ("/api/find_workspace", Need::Public, "query={slug}"),
    ("/api/get_workspace", Need::Public, "slug={slug}"),
    (
        "/api/send_workspace_links",
        Need::Public,
        "email=x%40y.example",
    ),
    (
        "/api/create_workspace",
        Need::Public,
        "name=&slug=&owner_name=&owner_email=&owner_password=",
    ),
    (
        "/api/sign_in",
        Need::Public,
        "slug={slug}&email=x%40y.example&password=x",
    ),
    ("/api/sign_out", Need::Public, ""),
    (
        "/api/operator_sign_in",
        Need::Public,
        "email=x%40y.example&password=x",
    ),
    ("/api/invitation", Need::Public, "slug={slug}&token=nope"),
    (
        "/api/accept_invitation",
        Need::Public,
        "slug={slug}&token=nope&name=X&password=x",
    ),
    (
        "/api/request_password_reset",
        Need::Public,
        "slug={slug}&email=x%40y.example",
    ),
    (
        "/api/reset_password",
        Need::Public,
        "slug={slug}&token=nope&password=x",
    ),
    ("/api/whoami", Need::Member(Role::Viewer), "slug={slug}"),
    ("/api/take_flash", Need::Public, ""),
    ("/api/page_brand", Need::Public, "slug={slug}"),
    (
        "/api/workspace_branding",
        Need::Member(Role::Admin),
        "slug={slug}",
    ),
    (
        "/api/save_branding",
        Need::Member(Role::Admin),
        "slug={slug}&display_name=Acme&primary_color=%23123456",
    ),
    (
        "/api/remove_brand_logo",
        Need::Member(Role::Admin),
        "slug={slug}",
    ),
    (
        "/api/sign_out_everywhere",
        Need::Member(Role::Viewer),
        "slug={slug}",
    ),
    (
        "/api/account_settings",
        Need::Member(Role::Viewer),
        "slug={slug}",
    ),
    (
        "/api/rename_me",
        Need::Member(Role::Viewer),
        "slug={slug}&name=Mallory",
    ),
    (
        "/api/set_my_language",
        Need::Member(Role::Viewer),
        "slug={slug}&language=fr",
    ),
    (
        "/api/change_my_password",
        Need::Member(Role::Viewer),
        "slug={slug}&current_password=x&new_password=y",
    ),
    ("/api/members", Need::Member(Role::Admin), "slug={slug}"),
    (
        "/api/invite_member",
        Need::Member(Role::Admin),
        "slug={slug}&email=eve%40evil.example&role=viewer",
    ),
    (
        "/api/change_member_role",
        Need::Member(Role::Admin),
        "slug={slug}&user_id={user}&role=admin",
    ),
    (
        "/api/remove_member",
        Need::Member(Role::Admin),
        "slug={slug}&user_id={user}",
    ),
    (
        "/api/withdraw_invitation",
        Need::Member(Role::Admin),
        "slug={slug}&id=nope",
    ),
    ("/api/audit_log", Need::Member(Role::Admin), "slug={slug}"),
    ("/api/my_groups", Need::Member(Role::Viewer), "slug={slug}"),
    ("/api/groups", Need::Member(Role::Admin), "slug={slug}"),
    (
        "/api/create_group",
        Need::Member(Role::Admin),
        "slug={slug}&name=Evil",
    ),
    (
        "/api/delete_group",
        Need::Member(Role::Admin),
        "slug={slug}&group_id={group}",
    ),
    (
        "/api/grant_group",
        Need::Member(Role::Admin),
        "slug={slug}&group_id={group}&subject=user:{user}&level=control",
    ),
    (
        "/api/revoke_grant",
        Need::Member(Role::Admin),
        "slug={slug}&grant_id=nope",
    ),
    ("/api/devices", Need::Member(Role::Viewer), "slug={slug}"),
    (
        "/api/device",
        Need::Member(Role::Viewer),
        "slug={slug}&id={device}",
    ),
    (
        "/api/create_device",
        Need::Member(Role::Admin),
        "slug={slug}&external_id=evil-1&name=Evil",
    ),
    (
        "/api/update_device",
        Need::Member(Role::Admin),
        "slug={slug}&device_id={device}&external_id=evil-3&name=Evil",
    ),
    (
        "/api/delete_device",
        Need::Member(Role::Admin),
        "slug={slug}&device_id={device}",
    ),
    (
        "/api/import_devices",
        Need::Member(Role::Admin),
        "slug={slug}&csv=external_id%2Cname%0Aevil-2%2CEvil",
    ),
    (
        "/api/discover_devices",
        Need::Member(Role::Admin),
        "slug={slug}",
    ),
    (
        "/api/register_discovered",
        Need::Member(Role::Admin),
        "slug={slug}&ids=wx-00001",
    ),
    ("/api/dashboard", Need::Member(Role::Viewer), "slug={slug}"),
    (
        "/api/fleet_map",
        Need::Member(Role::Viewer),
        "slug={slug}&id=north-dashboard&widget=hello",
    ),
    (
        "/api/dashboard_editor",
        Need::Member(Role::Editor),
        "slug={slug}&id=new",
    ),
    (
        "/api/save_dashboard",
        Need::Member(Role::Editor),
        "slug={slug}&name=Evil&visibility=everyone",
    ),
    (
        "/api/delete_dashboard",
        Need::Member(Role::Editor),
        "slug={slug}&id=north-dashboard",
    ),
    ("/api/admin_overview", Need::Operator, ""),
    ("/api/admin_workspace", Need::Operator, "slug={slug}"),
    (
        "/api/set_workspace_source",
        Need::Operator,
        "slug={slug}&url=http%3A%2F%2F127.0.0.1%3A9%2Fgraphql",
    ),
    ("/api/clear_workspace_source", Need::Operator, "slug={slug}"),
    ("/api/check_workspace_source", Need::Operator, "slug={slug}"),
    ("/api/admin_templates", Need::Operator, ""),
    (
        "/api/keep_template",
        Need::Operator,
        "slug={slug}&dashboard=north-dashboard&name=Stolen",
    ),
    ("/api/remove_template", Need::Operator, "id=nope"),
    (
        "/api/copy_template",
        Need::Member(Role::Editor),
        "slug={slug}&template=nope",
    ),
];

/// Pages, as the router lists them (`{slug}` stands for the workspace).
pub const PAGES: &[(&str, Need)] = &[
    ("/", Need::Public),
    ("/w/{slug}", Need::Member(Role::Viewer)),
    ("/w/{slug}/", Need::Member(Role::Viewer)),
    ("/w/{slug}/sign-in", Need::Public),
    ("/w/{slug}/join", Need::Public),
    ("/w/{slug}/forgot", Need::Public),
    ("/w/{slug}/reset", Need::Public),
    ("/w/{slug}/settings", Need::Member(Role::Viewer)),
    ("/w/{slug}/branding", Need::Member(Role::Admin)),
    ("/w/{slug}/members", Need::Member(Role::Admin)),
    ("/w/{slug}/audit", Need::Member(Role::Admin)),
    ("/w/{slug}/groups", Need::Member(Role::Admin)),
    ("/w/{slug}/devices", Need::Member(Role::Viewer)),
    ("/w/{slug}/devices/discover", Need::Member(Role::Admin)),
    ("/w/{slug}/devices/{id}", Need::Member(Role::Viewer)),
    ("/admin", Need::Operator),
    ("/admin/sign-in", Need::Public),
    ("/admin/workspaces/{slug}", Need::Operator),
    ("/admin/templates", Need::Operator),
    ("/w/{slug}/dashboards", Need::Member(Role::Viewer)),
    ("/w/{slug}/dashboards/{id}", Need::Member(Role::Viewer)),
    ("/w/{slug}/dashboards/{id}/edit", Need::Member(Role::Editor)),
];

/// The other routes: health and theme files.
pub const PLAIN: &[&str] = &["/healthz", "/readyz", "/theme/{file}"];

/// Forms anyone may post, that change only the poster's own preferences (the language menu);
/// `server/tests/language.rs` checks what they do and that another site cannot post them.
pub const PREFERENCE_FORMS: &[&str] = &["/language"];

/// Downloads beside the pages (`{id}` a dashboard, `{widget}` one of its widgets).
pub const DOWNLOADS: &[(&str, Need)] = &[
    (
        "/w/{slug}/dashboards/{id}/widgets/{widget}/data.csv",
        Need::Member(Role::Viewer),
    ),
    (
        "/w/{slug}/dashboards/{id}/widgets/{widget}/chart.png",
        Need::Member(Role::Viewer),
    ),
];

/// Sockets (a plain GET that passes the checks is told to upgrade: 426).
pub const SOCKETS: &[(&str, Need)] = &[("/w/{slug}/live", Need::Member(Role::Viewer))];

/// A workspace's logo: anyone may fetch it (it shows on the workspace's sign-in page), only
/// owners and admins upload one. Path, need to GET, need to POST.
pub const BRAND_ROUTES: &[(&str, Need, Need)] = &[(
    "/w/{slug}/brand/logo",
    Need::Public,
    Need::Member(Role::Admin),
)];
