use super::api::{SignIn, SignOut, SignOutEverywhere};
use crate::errors::ErrorPage;
use crate::form::{email_sentence, field_sentence, form_sentence_in, Field};
use crate::workspaces::api::get_workspace;
use crate::workspaces::Suspended;
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::account::SIGN_IN_FAILED;
use model::{WorkspaceStatus, WorkspaceSummary};

/// `/w/<slug>/sign-in`: the workspace's name and the sign-in form.
#[component]
pub fn SignInPage() -> impl IntoView {
    let params = use_params_map();
    let i18n = use_i18n();
    let workspace = Resource::new_blocking(
        move || params.read().get("slug").unwrap_or_default(),
        get_workspace,
    );
    view! {
        <Suspense fallback=move || view! { <p class="message-page">{t!(i18n, account.loading)}</p> }>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(ws) if ws.status == WorkspaceStatus::Suspended => {
                        view! { <Suspended ws /> }.into_any()
                    }
                    Ok(ws) => view! { <SignInForm ws /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignInForm(ws: WorkspaceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let action = ServerAction::<SignIn>::new();
    let error = move || action.value().get().and_then(Result::err);
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "email", &[])));
    let password_error = Signal::derive(move || {
        error()
            .and_then(|e| field_sentence(&e, "password", |m| m == SIGN_IN_FAILED, SIGN_IN_FAILED))
    });
    let form_error = move || error().and_then(|e| form_sentence_in(&e, language));
    let title = t_string!(i18n, account.sign_in_title, workspace = ws.name.clone());
    let reset_done = leptos_router::hooks::use_query_map();
    let forgot = crate::members::forgot_path(ws.slug.as_str());
    view! {
        <Title text=title.clone() />
        <section class="landing">
            <h1>{title}</h1>
            <p class="tagline">{format!("/w/{}/", ws.slug)}</p>
            <Show when=move || !reset_done.read().get("reset").unwrap_or_default().is_empty()>
                <p id="reset-done" role="status">{t!(i18n, account.reset_done)}</p>
            </Show>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=ws.slug.to_string() />
                    <Field
                        id="sign-in-email"
                        name="email"
                        label=t_string!(i18n, account.email_label)
                        error=email_error
                        autocomplete="username"
                        input_type="email"
                    />
                    <Field
                        id="sign-in-password"
                        name="password"
                        label=t_string!(i18n, account.password_label)
                        error=password_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <p id="sign-in-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {t!(i18n, account.sign_in)}
                    </button>
                </ActionForm>
                <p>
                    <a id="forgot-link" href=forgot>
                        {t!(i18n, account.forgot_link)}
                    </a>
                </p>
            </div>
        </section>
    }
}

/// "Sign out" and "Sign out everywhere" for a workspace page.
#[component]
pub fn SignOutButtons(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let slug_again = slug.clone();
    view! {
        <div class="sign-out">
            <ActionForm action=out>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" id="sign-out">{t!(i18n, account.sign_out)}</button>
            </ActionForm>
            <ActionForm action=everywhere>
                <input type="hidden" name="slug" value=slug_again />
                <button type="submit" id="sign-out-everywhere" class="secondary">
                    {t!(i18n, account.sign_out_everywhere)}
                </button>
            </ActionForm>
        </div>
    }
}
