//! `/admin/workspaces/<slug>`: one workspace in the back office, and the data source it reads:
//! the deployment's, or its own (address, token, id map), with a check that asks it.

use super::api::{
    admin_workspace, check_workspace_source, ClearWorkspaceSource, KeepTemplate, SetWorkspaceSource,
};
use i18n::{t, t_string, use_i18n};
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
    let i18n = use_i18n();
    let language = i18n::use_language();
    let locale = i18n::Locale::from(language);
    let slug = w.summary.slug.to_string();
    let keep_error = move || {
        keep.value().get().and_then(Result::err).map(|e| match e {
            ApiError::Invalid { message, .. } => message,
            other => crate::errors::error_text(&other, language),
        })
    };
    let dashboards = w
        .dashboards
        .iter()
        .flatten()
        .map(|d| {
            let slug = slug.clone();
            let (id, name) = (d.id.clone(), d.name.clone());
            let label = t_string!(i18n, admin.workspace.kept_as, name = name.clone());
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
                        <button type="submit" class="secondary">{t!(i18n, admin.workspace.keep)}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let no_dashboards = match &w.dashboards {
        None => Some(t_string!(i18n, admin.workspace.dashboards_unreadable)),
        Some(d) if d.is_empty() => Some(t_string!(i18n, admin.workspace.no_dashboards)),
        Some(_) => None,
    };
    let reads = match (&w.own_source, &w.deployment_source) {
        (Some(own), _) => t_string!(
            i18n,
            admin.workspace.reads_own,
            url = own.url.clone(),
            token = if own.has_token {
                t_string!(i18n, admin.workspace.with_token)
            } else {
                t_string!(i18n, admin.workspace.no_token)
            },
            count = own.id_map.len(),
            n = language.count(own.id_map.len() as u64),
            changed = language.utc_minute(own.updated_at)
        ),
        (None, Some(url)) => t_string!(i18n, admin.workspace.reads_deployment, url = url),
        (None, None) => t_string!(i18n, admin.workspace.reads_none).to_string(),
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
                {t!(i18n, admin.workspace.remove_token)}
            </label>
        }
    });
    let token_hint = if has_token {
        t_string!(i18n, admin.workspace.token_stored)
    } else {
        t_string!(i18n, admin.workspace.token_optional)
    };
    let back = own.is_some().then(|| {
        let slug = slug.clone();
        view! {
            <ActionForm action=clear>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" id="source-clear" class="secondary">
                    {t!(i18n, admin.workspace.read_deployment_again)}
                </button>
            </ActionForm>
        }
    });
    let check_result = move || {
        Suspend::new(async move {
            match check.await {
                None => None,
                Some(Ok(c)) => Some(match (c.devices, c.problem, c.url) {
                    (Some(n), _, Some(url)) => i18n::td_string!(
                        locale,
                        admin.workspace.answered,
                        url = url,
                        millis = language.count(c.millis),
                        count = n,
                        n = language.count(u64::from(n))
                    ),
                    (_, Some(problem), Some(url)) => i18n::td_string!(
                        locale,
                        admin.workspace.did_not_answer,
                        url = url,
                        problem = crate::form::in_language(&problem, language)
                    ),
                    _ => i18n::td_string!(locale, admin.workspace.no_source).to_string(),
                }),
                Some(Err(e)) => Some(crate::errors::error_text(&e, language)),
            }
        })
    };
    view! {
        <Title text=t_string!(i18n, admin.workspace.title, name = w.summary.name.clone()) />
        <section class="page">
            <p><a href=super::ADMIN_PATH>{t!(i18n, admin.back_office_link)}</a></p>
            <h1 id="workspace-name">{w.summary.name.clone()}</h1>
            <p>
                <a href=format!("/w/{slug}/")>{format!("/w/{slug}/")}</a>
                {format!(" · {}", super::pages::status_name(language, w.summary.status))}
            </p>
            <h2>{t!(i18n, admin.workspace.data_source)}</h2>
            <p id="source-reads">{reads}</p>
            <p>
                <a id="check-source" href=format!("{}?check=1", admin_workspace_path(&slug))>
                    {t!(i18n, admin.workspace.ask)}
                </a>
            </p>
            <Suspense fallback=move || view! { <p>{t!(i18n, admin.workspace.asking)}</p> }>
                <p id="source-check" role="status">{check_result}</p>
            </Suspense>
            {back}
            <h2>{t!(i18n, admin.workspace.dashboards)}</h2>
            <p>{no_dashboards}</p>
            <ul id="workspace-dashboards">{dashboards}</ul>
            <p id="keep-error" class="field-error" role="alert">{keep_error}</p>
            <div class="card">
                <h2>{t!(i18n, admin.workspace.own_source)}</h2>
                <ActionForm action=set>
                    <input type="hidden" name="slug" value=slug.clone() />
                    <label for="source-url">{t!(i18n, admin.workspace.url_label)}</label>
                    <input id="source-url" name="url" value=url
                        placeholder="https://api.customer.example/graphql" />
                    <label for="source-token">{token_hint}</label>
                    <input id="source-token" name="token" type="password" autocomplete="off" />
                    {remove_token}
                    <label for="source-id-map">
                        {t!(i18n, admin.workspace.id_map_label)}
                    </label>
                    <textarea id="source-id-map" name="id_map" rows="5">{id_map}</textarea>
                    <p id="source-error" class="field-error" role="alert">{error}</p>
                    <button type="submit" id="source-save">{t!(i18n, admin.workspace.save)}</button>
                </ActionForm>
            </div>
        </section>
    }
}
