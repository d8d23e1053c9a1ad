use super::api::{SignIn, SignOut, SignOutEverywhere};
use crate::errors::ErrorPage;
use crate::form::{email_sentence, field_sentence, form_sentence, Field};
use crate::workspaces::api::get_workspace;
use crate::workspaces::Suspended;
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
    let workspace = Resource::new_blocking(
        move || params.read().get("slug").unwrap_or_default(),
        get_workspace,
    );
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
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
    let action = ServerAction::<SignIn>::new();
    let error = move || action.value().get().and_then(Result::err);
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "email", &[])));
    let password_error = Signal::derive(move || {
        error()
            .and_then(|e| field_sentence(&e, "password", |m| m == SIGN_IN_FAILED, SIGN_IN_FAILED))
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    let title = format!("Sign in to {}", ws.name);
    let reset_done = leptos_router::hooks::use_query_map();
    let forgot = crate::members::forgot_path(ws.slug.as_str());
    view! {
        <Title text=title.clone() />
        <section class="landing">
            <h1>{title}</h1>
            <p class="tagline">{format!("/w/{}/", ws.slug)}</p>
            <Show when=move || !reset_done.read().get("reset").unwrap_or_default().is_empty()>
                <p id="reset-done" role="status">
                    "Your password is set. You were signed out everywhere; sign in with the new password."
                </p>
            </Show>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=ws.slug.to_string() />
                    <Field
                        id="sign-in-email"
                        name="email"
                        label="E-mail address"
                        error=email_error
                        autocomplete="username"
                        input_type="email"
                    />
                    <Field
                        id="sign-in-password"
                        name="password"
                        label="Password"
                        error=password_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <p id="sign-in-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        "Sign in"
                    </button>
                </ActionForm>
                <p>
                    <a id="forgot-link" href=forgot>
                        "Forgot your password?"
                    </a>
                </p>
            </div>
        </section>
    }
}

/// "Sign out" and "Sign out everywhere" for a workspace page.
#[component]
pub fn SignOutButtons(slug: String) -> impl IntoView {
    let out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let slug_again = slug.clone();
    view! {
        <div class="sign-out">
            <ActionForm action=out>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" id="sign-out">"Sign out"</button>
            </ActionForm>
            <ActionForm action=everywhere>
                <input type="hidden" name="slug" value=slug_again />
                <button type="submit" id="sign-out-everywhere" class="secondary">
                    "Sign out everywhere"
                </button>
            </ActionForm>
        </div>
    }
}
