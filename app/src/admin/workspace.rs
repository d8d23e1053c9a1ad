//! `/admin/workspaces/<slug>`: one workspace in the back office, and the data source it reads:
//! the deployment's, or its own (address, token, id map), with a check that asks it.

use super::api::{
    admin_workspace, check_workspace_source, ClearWorkspaceSource, KeepTemplate, SetWorkspaceSource,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::admin::{format_id_map, AdminWorkspaceView, SourceCheck};
use model::ApiError;

pub fn admin_workspace_path(slug: &str) -> String {
    format!("{}/workspaces/{slug}", super::ADMIN_PATH)
}

#[component]
pub fn AdminWorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let checking = Signal::derive(move || query.read().get("check").is_some());
    let set = ServerAction::<SetWorkspaceSource>::new();
    let clear = ServerAction::<ClearWorkspaceSource>::new();
    let view_data = Resource::new_blocking(
        move || (slug.get(), set.version().get(), clear.version().get()),
        |(slug, _, _)| admin_workspace(slug),
    );
    let check = Resource::new(
        move || {
            (
                slug.get(),
                checking.get(),
                set.version().get(),
                clear.version().get(),
            )
        },
        |(slug, checking, _, _)| async move {
            if checking {
                Some(check_workspace_source(slug).await)
            } else {
                None
            }
        },
    );
    let keep = ServerAction::<KeepTemplate>::new();
    super::pages::operator_page(view_data, move |w| {
        view! { <Workspace w set clear check keep /> }.into_any()
    })
}

#[component]
fn Workspace(
    w: AdminWorkspaceView,
    set: ServerAction<SetWorkspaceSource>,
    clear: ServerAction<ClearWorkspaceSource>,
    check: Resource<Option<Result<SourceCheck, ApiError>>>,
    keep: ServerAction<KeepTemplate>,
) -> impl IntoView {
    let slug = w.summary.slug.to_string();
    let keep_error = move || {
        keep.value().get().and_then(Result::err).map(|e| match e {
            ApiError::Invalid { message, .. } => message,
            other => other.to_string(),
        })
    };
    let dashboards = w
        .dashboards
        .iter()
        .flatten()
        .map(|d| {
            let slug = slug.clone();
            let (id, name) = (d.id.clone(), d.name.clone());
            let label = format!("{name}, kept as ");
            view! {
                <li data-dashboard=d.id.clone()>
                    <ActionForm action=keep>
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="dashboard" value=id />
                        <label>
                            {label}
                            <input name="name" value=name />
                        </label>
                        " "
                        <button type="submit" class="secondary">"Keep as a template"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let no_dashboards = match &w.dashboards {
        None => Some("Its dashboards cannot be read now (its database does not answer)."),
        Some(d) if d.is_empty() => {
            Some("It has saved no dashboard yet (its members see the starter).")
        }
        Some(_) => None,
    };
    let reads = match (&w.own_source, &w.deployment_source) {
        (Some(own), _) => format!(
            "Reads its own source: {} ({}, {} ids mapped, changed {}).",
            own.url,
            if own.has_token {
                "with a token"
            } else {
                "no token"
            },
            own.id_map.len(),
            model::time::utc_minute(own.updated_at),
        ),
        (None, Some(url)) => format!("Reads the deployment's source: {url}."),
        (None, None) => "Reads no source: none is configured for the deployment.".into(),
    };
    let error = move || {
        set.value().get().and_then(Result::err).map(|e| match e {
            ApiError::Invalid { message, .. } => message,
            other => crate::form::form_sentence(&other).unwrap_or_else(|| other.to_string()),
        })
    };
    let own = w.own_source.clone();
    let url = own.as_ref().map(|o| o.url.clone()).unwrap_or_default();
    let id_map = own
        .as_ref()
        .map(|o| format_id_map(&o.id_map))
        .unwrap_or_default();
    let has_token = own.as_ref().is_some_and(|o| o.has_token);
    let remove_token = has_token.then(|| {
        view! {
            <label class="check">
                <input type="checkbox" id="source-remove-token" name="remove_token" value="yes" />
                " Remove the stored token"
            </label>
        }
    });
    let token_hint = if has_token {
        "Token (a token is stored; leave blank to keep it)"
    } else {
        "Token (sent as Authorization: Bearer; optional)"
    };
    let back = own.is_some().then(|| {
        let slug = slug.clone();
        view! {
            <ActionForm action=clear>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" id="source-clear" class="secondary">
                    "Read the deployment's source again"
                </button>
            </ActionForm>
        }
    });
    let check_result = move || {
        Suspend::new(async move {
            match check.await {
                None => None,
                Some(Ok(c)) => Some(match (c.devices, c.problem, c.url) {
                    (Some(n), _, Some(url)) => {
                        format!("{url} answered in {} ms: it has {n} devices.", c.millis)
                    }
                    (_, Some(problem), Some(url)) => {
                        format!("{url} did not answer as it should: {problem}.")
                    }
                    _ => "There is no source to ask.".to_string(),
                }),
                Some(Err(e)) => Some(e.to_string()),
            }
        })
    };
    view! {
        <Title text=format!("{} · back office", w.summary.name) />
        <section class="page">
            <p><a href=super::ADMIN_PATH>"← Back office"</a></p>
            <h1 id="workspace-name">{w.summary.name.clone()}</h1>
            <p>
                <a href=format!("/w/{slug}/")>{format!("/w/{slug}/")}</a>
                {format!(" · {}", w.summary.status.as_str())}
            </p>
            <h2>"Data source"</h2>
            <p id="source-reads">{reads}</p>
            <p>
                <a id="check-source" href=format!("{}?check=1", admin_workspace_path(&slug))>
                    "Ask the source now"
                </a>
            </p>
            <Suspense fallback=|| view! { <p>"Asking the source…"</p> }>
                <p id="source-check" role="status">{check_result}</p>
            </Suspense>
            {back}
            <h2>"Dashboards"</h2>
            <p>{no_dashboards}</p>
            <ul id="workspace-dashboards">{dashboards}</ul>
            <p id="keep-error" class="field-error" role="alert">{keep_error}</p>
            <div class="card">
                <h2>"Use the workspace's own source"</h2>
                <ActionForm action=set>
                    <input type="hidden" name="slug" value=slug.clone() />
                    <label for="source-url">"GraphQL address (https:// or http://)"</label>
                    <input id="source-url" name="url" value=url
                        placeholder="https://api.customer.example/graphql" />
                    <label for="source-token">{token_hint}</label>
                    <input id="source-token" name="token" type="password" autocomplete="off" />
                    {remove_token}
                    <label for="source-id-map">
                        "Ids that differ at the source: one \u{201c}registry id = source id\u{201d} per line"
                    </label>
                    <textarea id="source-id-map" name="id_map" rows="5">{id_map}</textarea>
                    <p id="source-error" class="field-error" role="alert">{error}</p>
                    <button type="submit" id="source-save">"Save"</button>
                </ActionForm>
            </div>
        </section>
    }
}
