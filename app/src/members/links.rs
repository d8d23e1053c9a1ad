//! The pages mails link to: accepting an invitation, and choosing a new password. Plus the
//! form that asks for a reset link.

use super::api::{load_invitation, AcceptInvitation, RequestPasswordReset, ResetPassword};
use super::{use_query, use_slug};
use crate::errors::ErrorPage;
use crate::form::{
    email_sentence, field_sentence, form_sentence_in, known_sentence_in, password_sentence, Field,
};
use i18n::role_name;
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::members::{InvitationView, MESSAGES};
use model::{ApiError, Language};

/// A form's sentence when it is not about one field, in `language`: only known sentences (a
/// bad link's explanation among them).
fn link_sentence(error: &ApiError, language: Language) -> Option<String> {
    match error {
        ApiError::NotFound { .. } => {
            let fallback =
                i18n::td_string!(i18n::Locale::from(language), members.links.link_invalid);
            Some(known_sentence_in(error, &MESSAGES, fallback, language).to_string())
        }
        other => form_sentence_in(other, language),
    }
}

/// `/w/<slug>/join?token=…`: who invited whom, and the form that sets name and password.
#[component]
pub fn JoinPage() -> impl IntoView {
    let slug = use_slug();
    let token = use_query("token");
    let i18n = use_i18n();
    let offer = Resource::new_blocking(
        move || (slug.get(), token.get()),
        |(slug, token)| load_invitation(slug, token),
    );
    view! {
        <Suspense fallback=move || view! { <p class="message-page">{t!(i18n, members.loading)}</p> }>
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
    let i18n = use_i18n();
    let language = i18n::use_language();
    let action = ServerAction::<AcceptInvitation>::new();
    let error = move || action.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("your name");
        error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| known.iter().any(|k| k == m),
                t_string!(i18n, members.links.check_name),
            )
        })
    });
    let password_error =
        Signal::derive(move || error().and_then(|e| password_sentence(&e, "password")));
    let form_error = move || error().and_then(|e| link_sentence(&e, language));
    let title = t_string!(
        i18n,
        members.links.join_title,
        workspace = offer.workspace_name.clone()
    );
    view! {
        <Title text=title.clone() />
        <section class="landing">
            <h1>{title}</h1>
            <p class="tagline" id="invitation-for">
                {t_string!(
                    i18n,
                    members.links.invited_as,
                    role = role_name(offer.role, language),
                    email = offer.email.clone()
                )}
            </p>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="token" value=token />
                    <Field id="join-name" name="name" label=t_string!(i18n, members.links.your_name) error=name_error autocomplete="name" />
                    <Field
                        id="join-password"
                        name="password"
                        label=t_string!(i18n, members.links.choose_password)
                        error=password_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <p id="join-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {t!(i18n, members.links.join)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

/// `/w/<slug>/forgot`: asks for a reset link; after sending, says a mail may be on its way.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let slug = use_slug();
    let sent_query = use_query("sent");
    let action = ServerAction::<RequestPasswordReset>::new();
    let sent = move || !sent_query.get().is_empty() || matches!(action.value().get(), Some(Ok(())));
    let error = move || action.value().get().and_then(Result::err);
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "email", &[])));
    let form_error = move || error().and_then(|e| link_sentence(&e, language));
    view! {
        <Title text=t_string!(i18n, members.links.forgot_title) />
        <section class="landing">
            <h1>{t!(i18n, members.links.forgot_title)}</h1>
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
                                    label=t_string!(i18n, members.links.email_label)
                                    error=email_error
                                    autocomplete="username"
                                    input_type="email"
                                />
                                <p id="forgot-error" class="field-error" role="alert">{form_error}</p>
                                <button type="submit">{t!(i18n, members.links.send_link)}</button>
                            </ActionForm>
                        </div>
                    }
                }
            >
                <p id="reset-sent" role="status">{t!(i18n, members.links.reset_sent)}</p>
            </Show>
            <p><a href=move || crate::account::sign_in_path(&slug.get())>{t!(i18n, members.links.back_to_sign_in)}</a></p>
        </section>
    }
}

/// `/w/<slug>/reset?token=…`: chooses a new password.
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let slug = use_slug();
    let token = use_query("token");
    let action = ServerAction::<ResetPassword>::new();
    let error = move || action.value().get().and_then(Result::err);
    let password_error =
        Signal::derive(move || error().and_then(|e| password_sentence(&e, "password")));
    let form_error = move || error().and_then(|e| link_sentence(&e, language));
    view! {
        <Title text=t_string!(i18n, members.links.reset_title) />
        <section class="landing">
            <h1>{t!(i18n, members.links.reset_title)}</h1>
            <p class="tagline">{t!(i18n, members.links.reset_tagline)}</p>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=move || slug.get() />
                    <input type="hidden" name="token" value=move || token.get() />
                    <Field
                        id="reset-password"
                        name="password"
                        label=t_string!(i18n, members.links.new_password)
                        error=password_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <p id="reset-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {t!(i18n, members.links.set_password)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}
