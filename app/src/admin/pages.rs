use super::api::{load_admin_overview, OperatorSignIn};
use crate::account::api::SignOut;
use crate::errors::ErrorPage;
use crate::form::{email_sentence, field_sentence, form_sentence, Field};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use model::account::SIGN_IN_FAILED;
use model::admin::AdminOverview;
use model::{ApiError, WorkspaceStatus};

/// `/admin/sign-in`.
#[component]
pub fn AdminSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OperatorSignIn>::new();
    let error = move || action.value().get().and_then(Result::err);
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "email", &[])));
    let password_error = Signal::derive(move || {
        error()
            .and_then(|e| field_sentence(&e, "password", |m| m == SIGN_IN_FAILED, SIGN_IN_FAILED))
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    view! {
        <Title text=t_string!(i18n, admin.sign_in.title) />
        <section class="landing">
            <h1>{t!(i18n, admin.sign_in.title)}</h1>
            <p class="tagline">{t!(i18n, admin.sign_in.tagline)}</p>
            <div class="card">
                <ActionForm action>
                    <Field
                        id="operator-email"
                        name="email"
                        label=t_string!(i18n, admin.sign_in.email)
                        error=email_error
                        autocomplete="username"
                        input_type="email"
                    />
                    <Field
                        id="operator-password"
                        name="password"
                        label=t_string!(i18n, admin.sign_in.password)
                        error=password_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <p id="operator-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>{t!(i18n, admin.sign_in.submit)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// `/admin`: every workspace and the outbox; the sign-in page for anyone but an operator.
#[component]
pub fn AdminHome() -> impl IntoView {
    let overview = Resource::new_blocking(|| (), |()| load_admin_overview());
    operator_page(overview, |o| view! { <Overview o /> }.into_any())
}

/// A back-office page drawn from `data`: its content for an operator, the sign-in page for
/// anyone else, the error otherwise.
pub(super) fn operator_page<T>(
    data: Resource<Result<T, ApiError>>,
    content: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="message-page">{t!(i18n, admin.loading)}</p> }>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => content(data),
                        Err(ApiError::Unauthorized) => {
                            view! { <Redirect path=super::ADMIN_SIGN_IN_PATH /> }.into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Overview(o: AdminOverview) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let sign_out = ServerAction::<SignOut>::new();
    let workspaces = o
        .workspaces
        .into_iter()
        .map(|w| {
            let slug = w.summary.slug.to_string();
            view! {
                <tr>
                    <td><a href=format!("/w/{slug}/")>{slug.clone()}</a></td>
                    <td><a href=super::admin_workspace_path(&slug)>{w.summary.name}</a></td>
                    <td>{status_name(language, w.summary.status)}</td>
                </tr>
            }
        })
        .collect_view();
    let outbox = match o.outbox {
        None => view! { <p>{t!(i18n, admin.overview.no_outbox)}</p> }.into_any(),
        Some(mails) if mails.is_empty() => {
            view! { <p>{t!(i18n, admin.overview.outbox_empty)}</p> }.into_any()
        }
        Some(mails) => {
            let rows = mails
                .into_iter()
                .map(|m| view! { <tr><td>{m.to}</td><td>{m.subject}</td><td>{m.file}</td></tr> })
                .collect_view();
            view! {
                <table id="outbox">
                    <thead>
                        <tr>
                            <th>{t!(i18n, admin.overview.to)}</th>
                            <th>{t!(i18n, admin.overview.subject)}</th>
                            <th>{t!(i18n, admin.overview.file)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    let audit = o
        .audit
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{language.utc_minute(e.at)}</td>
                    <td>
                        {e
                            .actor
                            .unwrap_or_else(|| t_string!(i18n, admin.overview.unknown_actor).into())}
                    </td>
                    <td data-action=e.action.clone()>{i18n::audit_action(&e.action, language)}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=t_string!(i18n, admin.overview.title) />
        <section class="page">
            <h1>{t!(i18n, admin.overview.title)}</h1>
            <p id="signed-in-as">
                {t!(i18n, admin.overview.signed_in_as, name = o.operator_name, <strong> = <strong />)}
            </p>
            <ActionForm action=sign_out>
                <button type="submit" id="sign-out">{t!(i18n, admin.overview.sign_out)}</button>
            </ActionForm>
            <p><a id="nav-templates" href=super::TEMPLATES_PATH>{t!(i18n, admin.overview.templates_link)}</a></p>
            <h2>{t!(i18n, admin.overview.workspaces)}</h2>
            <table id="workspaces">
                <thead>
                    <tr>
                        <th>{t!(i18n, admin.overview.address)}</th>
                        <th>{t!(i18n, admin.overview.name)}</th>
                        <th>{t!(i18n, admin.overview.status)}</th>
                    </tr>
                </thead>
                <tbody>{workspaces}</tbody>
            </table>
            <h2>{t!(i18n, admin.overview.outbox)}</h2>
            {outbox}
            <h2>{t!(i18n, admin.overview.audit)}</h2>
            <table id="operator-audit">
                <thead>
                    <tr>
                        <th>{t!(i18n, admin.overview.when)}</th>
                        <th>{t!(i18n, admin.overview.who)}</th>
                        <th>{t!(i18n, admin.overview.what)}</th>
                        <th>{t!(i18n, admin.overview.detail)}</th>
                    </tr>
                </thead>
                <tbody>{audit}</tbody>
            </table>
        </section>
    }
}

/// A workspace's status as the back office shows it, in `language`.
pub(super) fn status_name(language: model::Language, status: WorkspaceStatus) -> &'static str {
    let locale = i18n::Locale::from(language);
    match status {
        WorkspaceStatus::Provisioning => i18n::td_string!(locale, admin.status.provisioning),
        WorkspaceStatus::Active => i18n::td_string!(locale, admin.status.active),
        WorkspaceStatus::Suspended => i18n::td_string!(locale, admin.status.suspended),
    }
}
