use super::api::{load_admin_overview, OperatorSignIn};
use crate::account::api::SignOut;
use crate::errors::ErrorPage;
use crate::form::{email_sentence, field_sentence, form_sentence, Field};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use model::account::SIGN_IN_FAILED;
use model::admin::AdminOverview;
use model::ApiError;

/// `/admin/sign-in`.
#[component]
pub fn AdminSignIn() -> impl IntoView {
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
        <Title text="Operator sign-in" />
        <section class="landing">
            <h1>"Operator sign-in"</h1>
            <p class="tagline">"The back office of every workspace."</p>
            <div class="card">
                <ActionForm action>
                    <Field
                        id="operator-email"
                        name="email"
                        label="E-mail address"
                        error=email_error
                        autocomplete="username"
                        input_type="email"
                    />
                    <Field
                        id="operator-password"
                        name="password"
                        label="Password"
                        error=password_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <p id="operator-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
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
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
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
                    <td>{w.summary.status.as_str()}</td>
                </tr>
            }
        })
        .collect_view();
    let outbox = match o.outbox {
        None => view! { <p>"Mails go out over SMTP; there is no outbox."</p> }.into_any(),
        Some(mails) if mails.is_empty() => view! { <p>"The outbox is empty."</p> }.into_any(),
        Some(mails) => {
            let rows = mails
                .into_iter()
                .map(|m| view! { <tr><td>{m.to}</td><td>{m.subject}</td><td>{m.file}</td></tr> })
                .collect_view();
            view! {
                <table id="outbox">
                    <thead><tr><th>"To"</th><th>"Subject"</th><th>"File"</th></tr></thead>
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
                    <td>{model::time::utc_minute(e.at)}</td>
                    <td>{e.actor.unwrap_or_else(|| "command line or unknown".into())}</td>
                    <td>{e.action}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text="Back office" />
        <section class="page">
            <h1>"Back office"</h1>
            <p id="signed-in-as">"Signed in as operator " <strong>{o.operator_name}</strong></p>
            <ActionForm action=sign_out>
                <button type="submit" id="sign-out">"Sign out"</button>
            </ActionForm>
            <p><a id="nav-templates" href=super::TEMPLATES_PATH>"Dashboard templates"</a></p>
            <h2>"Workspaces"</h2>
            <table id="workspaces">
                <thead><tr><th>"Address"</th><th>"Name"</th><th>"Status"</th></tr></thead>
                <tbody>{workspaces}</tbody>
            </table>
            <h2>"Outbox"</h2>
            {outbox}
            <h2>"Operator audit log"</h2>
            <table id="operator-audit">
                <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Detail"</th></tr></thead>
                <tbody>{audit}</tbody>
            </table>
        </section>
    }
}
