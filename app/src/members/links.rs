//! The pages mails link to: accepting an invitation, and choosing a new password. Plus the
//! form that asks for a reset link.

use super::api::{load_invitation, AcceptInvitation, RequestPasswordReset, ResetPassword};
use super::{use_query, use_slug};
use crate::errors::ErrorPage;
use crate::form::{
    email_sentence, field_sentence, form_sentence, known_sentence, password_sentence, Field,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::members::{InvitationView, MESSAGES};
use model::ApiError;

/// A form's sentence when it is not about one field: only known sentences (a bad link's
/// explanation among them).
fn link_sentence(error: &ApiError) -> Option<String> {
    match error {
        ApiError::NotFound { .. } => {
            Some(known_sentence(error, &MESSAGES, "This link is not valid any more.").to_string())
        }
        other => form_sentence(other),
    }
}

/// `/w/<slug>/join?token=…`: who invited whom, and the form that sets name and password.
#[component]
pub fn JoinPage() -> impl IntoView {
    let slug = use_slug();
    let token = use_query("token");
    let offer = Resource::new_blocking(
        move || (slug.get(), token.get()),
        |(slug, token)| load_invitation(slug, token),
    );
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) => {
                        view! { <JoinForm offer slug=slug.get_untracked() token=token.get_untracked() /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn JoinForm(offer: InvitationView, slug: String, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = move || action.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("your name");
        error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| known.iter().any(|k| k == m),
                "Check your name.",
            )
        })
    });
    let password_error =
        Signal::derive(move || error().and_then(|e| password_sentence(&e, "password")));
    let form_error = move || error().and_then(|e| link_sentence(&e));
    let title = format!("Join {}", offer.workspace_name);
    view! {
        <Title text=title.clone() />
        <section class="landing">
            <h1>{title}</h1>
            <p class="tagline" id="invitation-for">
                {format!("You are invited as {} with the address {}.", offer.role.as_str(), offer.email)}
            </p>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="token" value=token />
                    <Field id="join-name" name="name" label="Your name" error=name_error autocomplete="name" />
                    <Field
                        id="join-password"
                        name="password"
                        label="Choose a password (12 characters or more)"
                        error=password_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <p id="join-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>"Join"</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// `/w/<slug>/forgot`: asks for a reset link; after sending, says a mail may be on its way.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let slug = use_slug();
    let sent_query = use_query("sent");
    let action = ServerAction::<RequestPasswordReset>::new();
    let sent = move || !sent_query.get().is_empty() || matches!(action.value().get(), Some(Ok(())));
    let error = move || action.value().get().and_then(Result::err);
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "email", &[])));
    let form_error = move || error().and_then(|e| link_sentence(&e));
    view! {
        <Title text="Reset your password" />
        <section class="landing">
            <h1>"Reset your password"</h1>
            <Show
                when=sent
                fallback=move || {
                    view! {
                        <div class="card">
                            <ActionForm action>
                                <input type="hidden" name="slug" value=slug.get_untracked() />
                                <Field
                                    id="forgot-email"
                                    name="email"
                                    label="E-mail address"
                                    error=email_error
                                    autocomplete="username"
                                    input_type="email"
                                />
                                <p id="forgot-error" class="field-error" role="alert">{form_error}</p>
                                <button type="submit">"Send me a link"</button>
                            </ActionForm>
                        </div>
                    }
                }
            >
                <p id="reset-sent" role="status">
                    "If that address has an account here, a mail with a link is on its way. The link works for an hour."
                </p>
            </Show>
            <p><a href=move || crate::account::sign_in_path(&slug.get())>"Back to sign-in"</a></p>
        </section>
    }
}

/// `/w/<slug>/reset?token=…`: chooses a new password.
#[component]
pub fn ResetPage() -> impl IntoView {
    let slug = use_slug();
    let token = use_query("token");
    let action = ServerAction::<ResetPassword>::new();
    let error = move || action.value().get().and_then(Result::err);
    let password_error =
        Signal::derive(move || error().and_then(|e| password_sentence(&e, "password")));
    let form_error = move || error().and_then(|e| link_sentence(&e));
    view! {
        <Title text="Choose a new password" />
        <section class="landing">
            <h1>"Choose a new password"</h1>
            <p class="tagline">"You will be signed out everywhere, then sign in with the new password."</p>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=move || slug.get() />
                    <input type="hidden" name="token" value=move || token.get() />
                    <Field
                        id="reset-password"
                        name="password"
                        label="New password (12 characters or more)"
                        error=password_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <p id="reset-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>"Set the password"</button>
                </ActionForm>
            </div>
        </section>
    }
}
